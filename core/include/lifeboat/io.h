/* Random-access byte devices: image files, block devices and windows into
 * them (a partition of a disk image). The generic code talks to every kind
 * through struct lb_dev_ops, chosen when the device is opened. */
#ifndef LIFEBOAT_IO_H
#define LIFEBOAT_IO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct lb_dev;

struct lb_dev_ops {
	const char *kind;  /* "file", "block device", "slice" */
	/* Read/write exactly len bytes at off; 0 or a negative LB_E_* code. */
	int (*read_at)(struct lb_dev *dev, void *buf, size_t len, uint64_t off);
	int (*write_at)(struct lb_dev *dev, const void *buf, size_t len, uint64_t off);
	int (*flush)(struct lb_dev *dev);
	/* Give back the storage of a range: BLKDISCARD or a punched hole. */
	int (*discard)(struct lb_dev *dev, uint64_t off, uint64_t len);
	/* Whether discard can work here (asked before anything is written). */
	bool (*can_discard)(struct lb_dev *dev);
	void (*close)(struct lb_dev *dev);
};

enum lb_dev_flags {
	LB_DEV_READ = 0,
	LB_DEV_WRITE = 1 << 0,
	LB_DEV_EXCLUSIVE = 1 << 1,  /* O_EXCL on block devices: fails if mounted */
};

struct lb_dev {
	const struct lb_dev_ops *ops;
	char *path;
	uint64_t size;                 /* bytes */
	unsigned logical_sector_size;  /* 512 for files unless told otherwise */
	bool sector_size_set;          /* logical_sector_size was given, not guessed */
	unsigned physical_sector_size;
	bool is_block_device;
	bool writable;
	dev_t devno;       /* st_rdev of a block device, 0 for files */
	dev_t backing_dev; /* st_dev of the file system holding a file */
	char model[64];    /* from sysfs, "" if unknown */
	char serial[64];
	int fd;            /* -1 for slices */
	struct lb_dev *parent;  /* slices: the device they are a window into */
	uint64_t offset;        /* slices: where the window starts in parent */
	bool owns_parent;       /* slices: closing the slice closes the parent */
};

int lb_dev_open(const char *path, int flags, struct lb_dev **out);

/* A window of size bytes at offset into parent; parent must outlive it. */
int lb_dev_open_slice(struct lb_dev *parent, uint64_t offset, uint64_t size,
		      const char *name, struct lb_dev **out);

/* Hands parent over to slice: lb_dev_close(slice) then closes parent too. */
void lb_dev_slice_own_parent(struct lb_dev *slice);

/* Overrides the logical sector size of an image file (e.g. a 4Kn disk image). */
void lb_dev_set_sector_size(struct lb_dev *dev, unsigned logical_sector_size);

int lb_dev_read(struct lb_dev *dev, void *buf, size_t len, uint64_t off);
int lb_dev_write(struct lb_dev *dev, const void *buf, size_t len, uint64_t off);
int lb_dev_flush(struct lb_dev *dev);
int lb_dev_discard(struct lb_dev *dev, uint64_t off, uint64_t len);
bool lb_dev_can_discard(struct lb_dev *dev);
void lb_dev_close(struct lb_dev *dev);

#endif
