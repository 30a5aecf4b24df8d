/* What the TUI shows and acts on: the machine's disks (or the disk image
 * files named on the command line), the images found in the image folders,
 * and which disks must never be written (the one holding the images, the
 * one the rescue system runs from). */
#ifndef LIFEBOAT_TUI_SYSTEM_H
#define LIFEBOAT_TUI_SYSTEM_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

struct sys_disk {
	char path[256];
	char model[64];
	uint64_t size;
	char error[160];        /* could not be opened: why */
	char protect[160];      /* never a target: why ("" if it may be one) */
	char content[200];      /* "gpt: 1 vfat 'ESP' 105 MB, 2 ntfs (Windows) 50 GB" */
};

struct sys_image {
	char path[512];
	char name[256];         /* file name */
	uint64_t size;
	time_t mtime;
};

struct tui_system {
	struct sys_disk *disks;
	int disk_count;
	struct sys_image *images;
	int image_count;
	char **image_dirs;        /* room for image_dir_capacity entries */
	int image_dir_count;
	int image_dir_capacity;
	char added_dirs[4][64];   /* folders mounted from the Network screen */
	int added_dir_count;
	char **disk_args;       /* disks named on the command line, NULL: all of /sys/block */
	int disk_arg_count;
	const char *logs_dir;
	const char *modules_dir;  /* --modules; NULL: the running kernel's */
};

/* (Re)reads disks and images. */
void tui_system_scan(struct tui_system *sys);
void tui_system_free(struct tui_system *sys);
/* Adds an image folder (a mounted share) and rescans; -1 when full. */
int tui_system_add_image_dir(struct tui_system *sys, const char *dir);

/* "Samsung SSD 870 (500.1 GB)", "disk.img (1.0 GB)" */
void sys_disk_label(const struct sys_disk *disk, char *out, int size);

#endif
