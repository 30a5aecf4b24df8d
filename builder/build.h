/* lifeboat-build's shared pieces: the settings every output reads, the table
 * of output kinds (initramfs, iso, usb, recovery, verify), and the template
 * renderer for boot menus and the rescue system's scripts. */
#ifndef LIFEBOAT_BUILD_H
#define LIFEBOAT_BUILD_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "lifeboat/strbuf.h"

struct build_config {
	const char *output;        /* -o FILE */
	const char *kernel;        /* vmlinuz; newest /boot/vmlinuz-* by default */
	char *kernel_found;        /* that default, owned */
	char *kernel_version;      /* from the kernel's file name */
	char *modules_dir;         /* /lib/modules/VERSION unless --modules-dir */
	const char *app;           /* the static rescue app */
	const char *templates;     /* iso-templates/ */
	const char *add_modules;   /* extra .ko files */
	const char *add_files;     /* a tree copied over the initramfs root */
	const char *compress;      /* "zstd" or "xz" */
	const char *append;        /* extra kernel arguments */
	const char *initrd;        /* a prebuilt initramfs instead of building one */
	const char *efi_dir;       /* signed EFI binaries; Debian's packages by default */
	const char *layout;        /* iso: "mbr", "debian" or "gpt" */
	const char *device;        /* usb: a block device to write */
	const char *disk;          /* recovery: the disk or disk image */
	uint64_t size_bytes;       /* usb/recovery size */
	int timeout;               /* boot menu timeout, seconds */
	bool assume_yes;           /* device writes without asking */
	const char *action;        /* recovery: "add", "update", "remove", "reboot-into" */
	time_t epoch;              /* SOURCE_DATE_EPOCH, else now */
	bool reproducible;         /* SOURCE_DATE_EPOCH was set */
	int argc;                  /* operands left after the options */
	char **argv;
};

struct build_output {
	const char *name;
	const char *summary;
	const char *usage;
	int (*run)(struct build_config *cfg);
};

extern const struct build_output build_outputs[];

int build_initramfs(struct build_config *cfg);
int build_iso(struct build_config *cfg);
int build_usb(struct build_config *cfg);
int build_recovery(struct build_config *cfg);
int build_verify(struct build_config *cfg);
int build_pxe(struct build_config *cfg);

/* Makes the initramfs at path (used by iso, usb and recovery too), or copies
 * cfg->initrd there when one was given. */
int initramfs_make(struct build_config *cfg, const char *path);

/* Converts the keymaps of templates/keymaps.list into root/usr/share/keymaps/NAME.bmap. */
int keymaps_install(const struct build_config *cfg, const char *root);

struct template_var {
	const char *key;    /* replaces @KEY@ */
	const char *value;
};

/* Renders templates/NAME with vars (a NULL key ends them) into out. */
int template_render(const struct build_config *cfg, const char *name,
		    const struct template_var *vars, struct lb_strbuf *out);
/* Renders templates/NAME into the file path. */
int template_write(const struct build_config *cfg, const char *name,
		   const struct template_var *vars, const char *path, unsigned mode);

/* The words of templates/NAME, '#' comments dropped, one per line in out. */
int template_words(const struct build_config *cfg, const char *name, struct lb_strbuf *out);
/* Calls fn for each word of templates/NAME; stops at the first non-zero return. */
int template_each_word(const struct build_config *cfg, const char *name,
		       int (*fn)(const char *word, void *ctx), void *ctx);

#endif
