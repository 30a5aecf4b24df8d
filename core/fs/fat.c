/* Used-block map of FAT12/16/32: the reserved area, the FATs and the root
 * directory, plus every cluster whose FAT entry is not free (bad clusters
 * are left out). The FAT is read in windows to bound memory. */
#include "fs_backends.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lifeboat/error.h"
#include "lifeboat/le.h"

#define FAT_WINDOW (1u << 20)

struct fat_geom {
	uint64_t bps, cluster_size, fat_offset, data_offset, clusters, total_bytes;
	int bits;   /* 12, 16 or 32 */
};

static int fat_geometry(const uint8_t *b, struct fat_geom *g)
{
	uint32_t bps = lb_le16(b + 11), spc = b[13], reserved = lb_le16(b + 14), nfats = b[16];
	uint32_t root_entries = lb_le16(b + 17);
	uint64_t total = lb_le16(b + 19) ? lb_le16(b + 19) : lb_le32(b + 32);
	uint64_t fat_size = lb_le16(b + 22) ? lb_le16(b + 22) : lb_le32(b + 36);
	if (bps < 512 || bps > 4096 || (bps & (bps - 1)) || spc == 0 || (spc & (spc - 1)) || reserved == 0 ||
	    nfats == 0 || fat_size == 0 || total == 0)
		return -1;
	uint64_t root_sectors = ((uint64_t)root_entries * 32 + bps - 1) / bps;
	uint64_t data_sector = reserved + nfats * fat_size + root_sectors;
	if (data_sector >= total)
		return -1;
	g->bps = bps;
	g->cluster_size = (uint64_t)bps * spc;
	g->fat_offset = (uint64_t)reserved * bps;
	g->data_offset = data_sector * bps;
	g->clusters = (total - data_sector) / spc;
	g->total_bytes = total * bps;
	g->bits = g->clusters < 4085 ? 12 : g->clusters < 65525 ? 16 : 32;
	uint64_t fat_entries = fat_size * bps * 8 / (uint64_t)g->bits;
	if (fat_entries < g->clusters + 2)
		g->clusters = fat_entries > 2 ? fat_entries - 2 : 0;
	return 0;
}

static int fat_probe(const uint8_t *head, uint64_t dev_size)
{
	struct fat_geom g;
	(void)dev_size;
	if (head[510] != 0x55 || head[511] != 0xAA || (head[0] != 0xEB && head[0] != 0xE9))
		return 0;
	if (memcmp(head + 54, "FAT", 3) != 0 && memcmp(head + 82, "FAT32", 5) != 0)
		return 0;
	return fat_geometry(head, &g) == 0;
}

static uint32_t fat_entry(const struct fat_geom *g, const uint8_t *fat, uint64_t n)
{
	if (g->bits == 32)
		return lb_le32(fat + n * 4) & 0x0FFFFFFF;
	if (g->bits == 16)
		return lb_le16(fat + n * 2);
	uint16_t v = lb_le16(fat + n * 3 / 2);
	return (n & 1) ? v >> 4 : v & 0xFFF;
}

static bool cluster_used(const struct fat_geom *g, uint32_t v)
{
	uint32_t bad = g->bits == 32 ? 0x0FFFFFF7 : g->bits == 16 ? 0xFFF7 : 0xFF7;
	return v != 0 && v != bad;
}

static int fat_map(struct lb_dev *dev, const uint8_t *head, struct lb_fs_map *map)
{
	struct fat_geom g;
	if (fat_geometry(head, &g) < 0)
		return lb_fail(LB_E_INVALID, "boot sector fields out of range");
	snprintf(map->fs, sizeof map->fs, "vfat");
	const uint8_t *label = head + (g.bits == 32 ? 71 : 43);
	memcpy(map->label, label, 11);
	for (int i = 10; i >= 0 && map->label[i] == ' '; i--)
		map->label[i] = '\0';
	map->block_size = g.cluster_size;
	int rc = lb_extents_add(&map->used, 0, g.data_offset);
	/* entries per window, a multiple of 2 so FAT12 pairs never straddle */
	uint64_t per_window = g.bits == 12 ? FAT_WINDOW / 3 * 2 : FAT_WINDOW * 8 / (uint64_t)g.bits;
	uint8_t *fat = malloc(FAT_WINDOW + 4);
	if (!fat)
		return lb_fail(LB_E_NOMEM, "out of memory");
	for (uint64_t first = 0; rc == 0 && first < g.clusters + 2; first += per_window) {
		uint64_t count = g.clusters + 2 - first;
		if (count > per_window)
			count = per_window;
		size_t bytes = (size_t)((count * (uint64_t)g.bits + 7) / 8);
		memset(fat, 0, FAT_WINDOW + 4);
		rc = lb_dev_read(dev, fat, bytes, g.fat_offset + first * (uint64_t)g.bits / 8);
		for (uint64_t i = first < 2 ? 2 - first : 0; rc == 0 && i < count; i++)
			if (cluster_used(&g, fat_entry(&g, fat, i)))
				rc = lb_extents_add(&map->used, g.data_offset + (first + i - 2) * g.cluster_size,
						    g.cluster_size);
	}
	free(fat);
	return rc;
}

const struct lb_fs_backend lb_fs_fat = { "vfat", fat_probe, fat_map };
