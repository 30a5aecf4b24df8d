/* Used-block maps: which byte ranges of a file system hold data worth
 * copying. One backend per file system (ext2/3/4, NTFS, FAT, exFAT, swap),
 * chosen by probing; anything unrecognised is copied whole ("raw"). */
#ifndef LIFEBOAT_FSMAP_H
#define LIFEBOAT_FSMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lifeboat/io.h"

/* A sorted list of disjoint, non-adjacent byte ranges. */
struct lb_extent {
	uint64_t start;
	uint64_t len;
};

struct lb_extents {
	struct lb_extent *v;
	size_t count;
	size_t cap;
};

/* Appends [start, start+len); ranges must come in ascending order, touching
 * or overlapping ranges are merged. Returns 0 or LB_E_NOMEM/LB_E_INVALID. */
int lb_extents_add(struct lb_extents *e, uint64_t start, uint64_t len);
/* Removes [start, start+len) from the list (keeps it sorted). */
int lb_extents_remove(struct lb_extents *e, uint64_t start, uint64_t len);
uint64_t lb_extents_total(const struct lb_extents *e);
void lb_extents_free(struct lb_extents *e);

struct lb_fs_map {
	char fs[16];           /* "ext4", "ntfs", "vfat", "exfat", "swap", "raw" */
	char label[64];
	uint64_t block_size;   /* allocation unit, 512 for raw */
	uint64_t size;         /* bytes of the device the map describes */
	struct lb_extents used;
};

/* Builds the used-block map of dev. With sector_by_sector, or when no
 * backend recognises dev (BitLocker, LUKS, unknown), every byte is used. */
int lb_fs_map_build(struct lb_dev *dev, bool sector_by_sector, struct lb_fs_map *out);
void lb_fs_map_free(struct lb_fs_map *map);

#endif
