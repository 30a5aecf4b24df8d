/* Used-block map of exFAT: the boot regions and FATs before the cluster
 * heap, plus every cluster set in the allocation bitmap, found through its
 * entry in the root directory. */
#include "fs_backends.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "lifeboat/error.h"
#include "lifeboat/le.h"

#define ENTRY_BITMAP 0x81
#define ENTRY_LABEL 0x83
#define MAX_ROOT_CLUSTERS 64

struct exfat_geom {
	struct lb_dev *dev;
	uint64_t bps, cluster_size, fat_offset, heap_offset, clusters;
};

static int exfat_probe(const uint8_t *head, uint64_t dev_size)
{
	(void)dev_size;
	return memcmp(head + 3, "EXFAT   ", 8) == 0;
}

static uint64_t cluster_offset(const struct exfat_geom *g, uint32_t c)
{
	return g->heap_offset + (uint64_t)(c - 2) * g->cluster_size;
}

static int next_cluster(const struct exfat_geom *g, uint32_t c, uint32_t *next)
{
	uint8_t e[4];
	int rc = lb_dev_read(g->dev, e, 4, g->fat_offset + (uint64_t)c * 4);
	*next = lb_le32(e);
	return rc;
}

static bool valid_cluster(const struct exfat_geom *g, uint32_t c)
{
	return c >= 2 && c - 2 < g->clusters;
}

/* Finds the allocation bitmap (first cluster, length) and the label in the root directory. */
static int find_bitmap(const struct exfat_geom *g, uint32_t root, uint32_t *first, uint64_t *len,
		       struct lb_fs_map *map)
{
	uint8_t *buf = malloc(g->cluster_size);
	if (!buf)
		return lb_fail(LB_E_NOMEM, "out of memory");
	int rc = 0, found = 0;
	uint32_t c = root;
	for (int n = 0; rc == 0 && !found && n < MAX_ROOT_CLUSTERS && valid_cluster(g, c); n++) {
		rc = lb_dev_read(g->dev, buf, g->cluster_size, cluster_offset(g, c));
		for (uint64_t off = 0; rc == 0 && off < g->cluster_size; off += 32) {
			const uint8_t *e = buf + off;
			if (e[0] == ENTRY_LABEL && e[1] <= 11) {
				for (int i = 0; i < e[1]; i++)
					map->label[i] = (char)(e[2 + 2 * i] < 0x80 ? e[2 + 2 * i] : '?');
			} else if (e[0] == ENTRY_BITMAP && !found) {
				*first = lb_le32(e + 20);
				*len = lb_le64(e + 24);
				found = 1;
			}
		}
		if (rc == 0 && !found)
			rc = next_cluster(g, c, &c);
	}
	free(buf);
	if (rc == 0 && !found)
		rc = lb_fail(LB_E_INVALID, "no allocation bitmap in the root directory");
	return rc;
}

static int exfat_map(struct lb_dev *dev, const uint8_t *b, struct lb_fs_map *map)
{
	struct exfat_geom g = { .dev = dev };
	unsigned bps_shift = b[108], spc_shift = b[109];
	if (bps_shift < 9 || bps_shift > 12 || spc_shift > 25 - bps_shift)
		return lb_fail(LB_E_INVALID, "boot sector fields out of range");
	g.bps = 1ull << bps_shift;
	g.cluster_size = g.bps << spc_shift;
	g.fat_offset = (uint64_t)lb_le32(b + 80) * g.bps;
	g.heap_offset = (uint64_t)lb_le32(b + 88) * g.bps;
	g.clusters = lb_le32(b + 92);
	uint32_t root = lb_le32(b + 96);
	if (g.heap_offset + g.clusters * g.cluster_size > dev->size || !valid_cluster(&g, root))
		return lb_fail(LB_E_INVALID, "cluster heap lies outside the device");
	map->block_size = g.cluster_size;
	uint32_t first = 0;
	uint64_t len = 0;
	int rc = find_bitmap(&g, root, &first, &len, map);
	if (rc < 0)
		return rc;
	if (!valid_cluster(&g, first) || len < (g.clusters + 7) / 8 ||
	    cluster_offset(&g, first) + (g.clusters + 7) / 8 > dev->size)
		return lb_fail(LB_E_INVALID, "allocation bitmap out of range");
	/* the allocation bitmap is contiguous: mkfs.exfat and the kernel allocate it in one piece */
	uint8_t *bits;
	size_t nbytes = (size_t)((g.clusters + 7) / 8);
	if ((rc = lb_fs_read_alloc(dev, cluster_offset(&g, first), nbytes, &bits)) < 0)
		return rc;
	rc = lb_extents_add(&map->used, 0, g.heap_offset);
	if (rc == 0)
		rc = lb_fs_add_bitmap(&map->used, bits, g.clusters, 0, g.cluster_size, g.heap_offset);
	free(bits);
	return rc;
}

const struct lb_fs_backend lb_fs_exfat = { "exfat", exfat_probe, exfat_map };
