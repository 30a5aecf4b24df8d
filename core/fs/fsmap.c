/* Chooses the used-block map backend for a device by probing its first
 * bytes; unknown or encrypted content, and --sector-by-sector, map every
 * byte as used. */
#include "fs_backends.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lifeboat/error.h"

static const struct lb_fs_backend *const backends[] = {
	&lb_fs_exfat, &lb_fs_fat, &lb_fs_ext, &lb_fs_swap,
};

int lb_fs_add_bitmap(struct lb_extents *used, const uint8_t *bits, uint64_t nbits, uint64_t first_unit,
		     uint64_t unit_size, uint64_t base)
{
	uint64_t i = 0;
	while (i < nbits) {
		if (bits[i >> 3] == 0 && (i & 7) == 0) {
			i += 8;
			continue;
		}
		if (!(bits[i >> 3] & (1u << (i & 7)))) {
			i++;
			continue;
		}
		uint64_t run = i;
		while (i < nbits && (bits[i >> 3] & (1u << (i & 7))))
			i++;
		int rc = lb_extents_add(used, base + (first_unit + run) * unit_size, (i - run) * unit_size);
		if (rc < 0)
			return rc;
	}
	return 0;
}

int lb_fs_read_alloc(struct lb_dev *dev, uint64_t off, size_t len, uint8_t **out)
{
	*out = malloc(len ? len : 1);
	if (!*out)
		return lb_fail(LB_E_NOMEM, "%s: out of memory", dev->path);
	int rc = lb_dev_read(dev, *out, len, off);
	if (rc < 0) {
		free(*out);
		*out = NULL;
	}
	return rc;
}

static int map_everything(struct lb_dev *dev, struct lb_fs_map *map)
{
	snprintf(map->fs, sizeof map->fs, "raw");
	map->block_size = 512;
	return lb_extents_add(&map->used, 0, dev->size);
}

/* Drops what lies past the device's end; fails if the file system claims
 * more than the device holds. */
static int check_fits(struct lb_dev *dev, struct lb_fs_map *map)
{
	if (map->used.count == 0)
		return 0;
	const struct lb_extent *last = &map->used.v[map->used.count - 1];
	if (last->start + last->len > dev->size)
		return lb_fail(LB_E_INVALID, "%s: the %s file system is larger than its device (truncated?)",
			       dev->path, map->fs);
	return 0;
}

int lb_fs_map_build(struct lb_dev *dev, bool sector_by_sector, struct lb_fs_map *map)
{
	memset(map, 0, sizeof *map);
	map->size = dev->size;
	if (sector_by_sector)
		return map_everything(dev, map);
	uint8_t *head = calloc(1, LB_FS_HEAD_SIZE);
	if (!head)
		return lb_fail(LB_E_NOMEM, "out of memory");
	size_t n = dev->size < LB_FS_HEAD_SIZE ? (size_t)dev->size : LB_FS_HEAD_SIZE;
	int rc = lb_dev_read(dev, head, n, 0);
	const struct lb_fs_backend *be = NULL;
	for (size_t i = 0; rc == 0 && i < sizeof backends / sizeof backends[0]; i++)
		if (backends[i]->probe(head, dev->size)) {
			be = backends[i];
			break;
		}
	if (rc == 0 && be) {
		snprintf(map->fs, sizeof map->fs, "%s", be->name);
		rc = be->map(dev, head, map);
		if (rc == 0)
			rc = check_fits(dev, map);
		if (rc < 0)
			lb_fail_context(rc, "%s file system", be->name);
	} else if (rc == 0) {
		rc = map_everything(dev, map);
	}
	free(head);
	if (rc < 0)
		lb_fs_map_free(map);
	return rc;
}

void lb_fs_map_free(struct lb_fs_map *map)
{
	lb_extents_free(&map->used);
}
