/* The staging tree: a private temporary directory where lifeboat-build lays
 * out a file system (initramfs root, ISO tree, EFI partition) before a tool
 * packs it. Paths given to these helpers are absolute or relative to cwd. */
#ifndef LIFEBOAT_BUILD_STAGE_H
#define LIFEBOAT_BUILD_STAGE_H

#include <stdint.h>
#include <time.h>

#include "lifeboat/strbuf.h"

/* "a/b": a newly allocated join of dir and name (aborts on no memory). */
char *path_join(const char *dir, const char *name);
/* asprintf that aborts when out of memory. */
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* A new empty directory under $TMPDIR (or /tmp); free the path. */
int stage_create(const char *purpose, char **out);
/* Removes a whole tree (what stage_create made). */
void stage_remove(const char *root);

int stage_mkdir_p(const char *path);
/* Copies the content of src (symlinks followed) to dst, creating parents. */
int stage_copy_file(const char *src, const char *dst, unsigned mode);
int stage_write_file(const char *path, const char *text, unsigned mode);
int stage_symlink(const char *target, const char *linkpath);
/* Copies every file, directory and symlink of src_dir into dst_dir. */
int stage_copy_tree(const char *src_dir, const char *dst_dir);
/* Sets every mtime/atime below root (and root) to t, symlinks included. */
int stage_set_times(const char *root, time_t t);
/* Relative paths of everything below root, sorted, one per line ("." first). */
int stage_list(const char *root, struct lb_strbuf *out);
/* Total bytes of the regular files below root. */
uint64_t stage_size(const char *root);

/* Copies src to dst through a temporary file in dst's directory and a
 * rename, so a failed build never leaves a half-written output. */
int output_install(const char *src, const char *dst);

int read_text_file(const char *path, struct lb_strbuf *out);
/* SHA-256 of a file as 64 hex digits. */
int file_sha256(const char *path, char hex[65]);

#endif
