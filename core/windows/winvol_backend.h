/* The ops table behind struct lb_winvol, shared by the directory and NTFS
 * backends. Paths handed to the ops are already split-checked ('/'-separated,
 * no empty, "." or ".." components); each backend resolves case. */
#ifndef LIFEBOAT_WINDOWS_WINVOL_BACKEND_H
#define LIFEBOAT_WINDOWS_WINVOL_BACKEND_H

#include "lifeboat/winvol.h"

enum winvol_write_mode {
	WINVOL_OVERWRITE,  /* existing file, in place */
	WINVOL_CREATE,     /* new file */
	WINVOL_APPEND,     /* existing or new file, at its end */
};

struct lb_winvol_ops {
	const char *kind;
	int (*stat)(struct lb_winvol *vol, const char *path, struct lb_winvol_stat *st);
	int (*read_at)(struct lb_winvol *vol, const char *path, void *buf, size_t len, uint64_t off,
		       size_t *got);
	int (*write)(struct lb_winvol *vol, const char *path, const void *buf, size_t len,
		     enum winvol_write_mode mode);
	int (*mkdir)(struct lb_winvol *vol, const char *path);
	int (*remove)(struct lb_winvol *vol, const char *path);
	int (*rename)(struct lb_winvol *vol, const char *path, const char *new_name);
	int (*list)(struct lb_winvol *vol, const char *path,
		    int (*fn)(void *ctx, const char *name, bool is_dir), void *ctx);
	int (*get_sd)(struct lb_winvol *vol, const char *path, uint8_t **sd, size_t *len);
	int (*set_sd)(struct lb_winvol *vol, const char *path, const uint8_t *sd, size_t len);
	int (*sync)(struct lb_winvol *vol);
	/* Switches to read-write now (NULL when writes need no switch). */
	int (*make_writable)(struct lb_winvol *vol);
	int (*close)(struct lb_winvol *vol);
};

struct lb_winvol {
	const struct lb_winvol_ops *ops;
	char *target;
	bool writable;
	void *priv;
};

/* Set up vol (target, writable filled in) for its backend. */
int lb_winvol_dir_open(struct lb_winvol *vol);
int lb_winvol_ntfs_open(struct lb_winvol *vol);
int lb_winvol_fat_open(struct lb_winvol *vol);

/* Whether target (a device, image or DISK:N) holds a FAT file system. */
bool lb_winvol_is_fat(const char *target);

#endif
