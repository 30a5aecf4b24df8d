/* Offline Windows volumes: the file system an offline Windows lives on,
 * reached through one ops table whatever it is (a directory such as a
 * mounted or copied volume root; an NTFS partition, partition image or
 * `disk.img:N`, read and written with libntfs-3g without mounting; a FAT16/32
 * EFI system partition, where only existing files can be rewritten).
 *
 * Paths are relative to the volume root, '/'-separated, and every component
 * is resolved case-insensitively, the way Windows does. Writes to an
 * existing file go into the SAME file (same inode, security descriptor and
 * attributes kept). An NTFS volume is opened read-only and only switched to
 * read-write by the first write, so a refused operation leaves every byte of
 * the volume unchanged. */
#ifndef LIFEBOAT_WINVOL_H
#define LIFEBOAT_WINVOL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct lb_winvol;

enum lb_winvol_flags {
	LB_WINVOL_READ = 0,
	LB_WINVOL_WRITE = 1 << 0,  /* writes allowed (made effective lazily) */
};

struct lb_winvol_stat {
	bool is_dir;
	uint64_t size;
};

/* Opens TARGET: a directory, a partition device, a partition image, or
 * "disk.img:N" (partition N of a disk image or disk). BitLocker volumes are
 * refused (LB_E_REFUSED) with what to do in Windows. */
int lb_winvol_open(const char *target, int flags, struct lb_winvol **out);

/* Flushes and closes; returns the first error of the final flush. */
int lb_winvol_close(struct lb_winvol *vol);

const char *lb_winvol_kind(const struct lb_winvol *vol);  /* "directory", "ntfs", "fat" */
const char *lb_winvol_target(const struct lb_winvol *vol);

/* LB_E_NOTFOUND when a component is missing. */
int lb_winvol_stat(struct lb_winvol *vol, const char *path, struct lb_winvol_stat *st);
bool lb_winvol_exists(struct lb_winvol *vol, const char *path);

/* The path with each component spelled as on the volume (malloc'd). */
int lb_winvol_resolve(struct lb_winvol *vol, const char *path, char **actual);

/* Reads a whole file into a malloc'd buffer (NUL-terminated, not counted). */
int lb_winvol_read(struct lb_winvol *vol, const char *path, uint8_t **buf, size_t *len);

/* Reads up to len bytes at off; *got is what was read (short at the end). */
int lb_winvol_read_at(struct lb_winvol *vol, const char *path, void *buf, size_t len, uint64_t off,
		      size_t *got);

/* Replaces the content of an EXISTING file in place (same inode), then
 * flushes it: the new bytes are written over the old and the file is cut
 * to len. */
int lb_winvol_overwrite(struct lb_winvol *vol, const char *path, const void *buf, size_t len);

/* Creates a NEW file (LB_E_REFUSED if it exists) in an existing directory. */
int lb_winvol_create(struct lb_winvol *vol, const char *path, const void *buf, size_t len);

/* Appends to a file, creating it if missing, and flushes it. */
int lb_winvol_append(struct lb_winvol *vol, const char *path, const void *buf, size_t len);

/* Creates the directory and any missing parents. */
int lb_winvol_mkdirs(struct lb_winvol *vol, const char *path);

/* Removes a file or an empty folder. */
int lb_winvol_remove(struct lb_winvol *vol, const char *path);

/* Renames path to new_name in the same directory. */
int lb_winvol_rename(struct lb_winvol *vol, const char *path, const char *new_name);

/* Calls fn for each entry of a directory (not "." or ".."); a non-zero
 * return from fn stops the walk and is returned. */
int lb_winvol_list(struct lb_winvol *vol, const char *path,
		   int (*fn)(void *ctx, const char *name, bool is_dir), void *ctx);

/* NTFS security descriptor of a file (self-relative, malloc'd).
 * LB_E_UNSUPPORTED when the backend has none (a plain directory tree). */
int lb_winvol_get_sd(struct lb_winvol *vol, const char *path, uint8_t **sd, size_t *len);
int lb_winvol_set_sd(struct lb_winvol *vol, const char *path, const uint8_t *sd, size_t len);

/* "a/b/c" -> *parent "a/b" (malloc'd; "" at the root) and *name "c" (in path). */
int lb_winvol_split(const char *path, char **parent, const char **name);

/* Switches a volume opened with LB_WINVOL_WRITE to read-write now instead
 * of at the first write; needed before writing while walking directories. */
int lb_winvol_make_writable(struct lb_winvol *vol);

/* Makes everything written so far durable. */
int lb_winvol_sync(struct lb_winvol *vol);

#endif
