/* Linux kernel modules for the rescue system: which module serves a device
 * (sysfs modalias against modules.alias), the module set and its
 * dependencies (modules.dep, modules.builtin, .modinfo of loose .ko files),
 * and loading with finit_module, Secure Boot lockdown refusals named as such. */
#ifndef LIFEBOAT_KMOD_H
#define LIFEBOAT_KMOD_H

#include <stdbool.h>
#include <stddef.h>

/* A device as sysfs shows it (/sys/bus/<bus>/devices/<name>). */
struct lb_sys_device {
	char *bus;          /* "pci", "usb", "virtio", ... */
	char *name;         /* "0000:00:1f.2" */
	char *modalias;
	char *driver;       /* bound driver, NULL if none */
	/* PCI identity ("" when not PCI): hex as sysfs writes it, without 0x. */
	char vendor[8], device[8], subsys_vendor[8], subsys_device[8], revision[4], class_code[8];
};

/* Every device with a modalias under sysfs_root/bus/<bus>/devices, sorted by bus and name. */
int lb_sysfs_devices(const char *sysfs_root, struct lb_sys_device **out, size_t *count);
void lb_sysfs_devices_free(struct lb_sys_device *devs, size_t count);

struct lb_kmod_aliases;

/* Loads a modules.alias file. */
int lb_kmod_aliases_load(const char *path, struct lb_kmod_aliases **out);
void lb_kmod_aliases_free(struct lb_kmod_aliases *db);
/* Module names whose alias pattern matches modalias, each once, in file
 * order; *names is malloc'ed (the strings belong to db). */
int lb_kmod_aliases_match(const struct lb_kmod_aliases *db, const char *modalias, const char ***names,
			  size_t *count);

struct lb_kmod_set;

/* The modules of moddir (/lib/modules/VERSION): modules.dep and modules.builtin. */
int lb_kmod_set_load(const char *moddir, struct lb_kmod_set **out);
void lb_kmod_set_free(struct lb_kmod_set *set);
/* Adds a loose module file (from a USB stick); its dependencies come from its
 * .modinfo "depends=". It replaces a module of the same name. */
int lb_kmod_set_add_file(struct lb_kmod_set *set, const char *path, const char **name);

enum lb_kmod_state { LB_KMOD_ABSENT, LB_KMOD_BUILTIN, LB_KMOD_FILE_MISSING, LB_KMOD_AVAILABLE };
/* Whether the set carries module name ('-' and '_' are the same). */
enum lb_kmod_state lb_kmod_state(const struct lb_kmod_set *set, const char *name);

/* The files to load for name, dependencies first, leaving out built-in
 * modules and those already loaded (sysfs_root/module/NAME exists). */
int lb_kmod_plan(const struct lb_kmod_set *set, const char *name, const char *sysfs_root, char ***paths,
		 size_t *count);

/* Inserts one module file into the running kernel (finit_module). */
int lb_kmod_insert(const char *path);

/* Canonical module name: '-' becomes '_', no directory, no .ko[.xz|.zst|.gz]. */
void lb_kmod_canonical(const char *in, char *out, size_t len);

#endif
