/* Internal: the used-block map backends, one per file system, and helpers
 * they share. */
#ifndef LIFEBOAT_FS_BACKENDS_H
#define LIFEBOAT_FS_BACKENDS_H

#include <stddef.h>
#include <stdint.h>

#include "lifeboat/fsmap.h"

#define LB_FS_HEAD_SIZE 65536

struct lb_fs_backend {
	const char *name;
	/* Nonzero when head (the first bytes of dev, zero-padded) looks like this file system. */
	int (*probe)(const uint8_t *head, uint64_t dev_size);
	/* Fills map->used (and label, block_size) for dev; head as above. */
	int (*map)(struct lb_dev *dev, const uint8_t *head, struct lb_fs_map *map);
};

extern const struct lb_fs_backend lb_fs_ext, lb_fs_fat, lb_fs_exfat, lb_fs_swap;

/* Adds the set bits of an allocation bitmap (LSB first, bit i = unit
 * first_unit + i) as byte ranges: unit u lies at base + u * unit_size. */
int lb_fs_add_bitmap(struct lb_extents *used, const uint8_t *bits, uint64_t nbits, uint64_t first_unit,
		     uint64_t unit_size, uint64_t base);

/* Reads len bytes at off into a new buffer. */
int lb_fs_read_alloc(struct lb_dev *dev, uint64_t off, size_t len, uint8_t **out);

#endif
