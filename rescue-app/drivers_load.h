/* Linux kernel modules for the rescue system, as `lifeboat drivers` and the
 * TUI's Drivers screen use them: the module folder, how a module's state is
 * told, and loading modules with their dependencies. Errors come back as
 * negative LB_E_* codes with the message set; nothing is printed. */
#ifndef LIFEBOAT_DRIVERS_LOAD_H
#define LIFEBOAT_DRIVERS_LOAD_H

#include <stdbool.h>
#include <stddef.h>

#include "lifeboat/kmod.h"
#include "lifeboat/strbuf.h"

/* The kernel module folder: *moddir if set, else /lib/modules/`uname -r`
 * (written into buf). */
int drivers_default_moddir(char *buf, size_t len, const char **moddir);

/* "built-in", "available", "not carried by this rescue system", ... */
const char *drivers_state_text(enum lb_kmod_state s);

/* What the device listings need: the devices, modules.alias and the module set. */
struct drivers_view {
	struct lb_sys_device *devs;
	size_t ndevs;
	struct lb_kmod_aliases *aliases;
	struct lb_kmod_set *set;
};
int drivers_view_load(const char *moddir, const char *sysfs, struct drivers_view *v);
void drivers_view_free(struct drivers_view *v);

/* Loads module names, .ko files or folders of .ko files (targets) with
 * their dependencies from moddir; out gets one line per module loaded and
 * the disks and network interfaces that appeared. dry_run only says what
 * would be loaded. */
int drivers_load(const char *moddir, const char *sysfs, const char *const *targets, size_t ntargets, bool dry_run,
		 struct lb_strbuf *out);

#endif
