/* FAT12/16/32 probe: a plausible BIOS parameter block, the FAT variant from
 * the cluster count (FAT32 when the 16-bit FAT size is zero), the volume
 * serial as UUID, and, like blkid, the label of the root directory's
 * volume-label entry (the boot sector copy is often stale). */
#include "probe.h"
#include "lifeboat/bytes.h"

#include <stdlib.h>
#include <string.h>

#define FAT_DIRENT_SIZE 32
#define FAT_ATTR_VOLUME_ID 0x08
#define FAT_ATTR_DIRECTORY 0x10
#define FAT_ATTR_LONG_NAME 0x0F
#define FAT32_CHAIN_END 0x0FFFFFF8
/* Root directories longer than this are not searched for a label. */
#define FAT_MAX_ROOT_CLUSTERS 64

struct fat_geometry {
	unsigned bytes_per_sector, sectors_per_cluster, fats;
	uint32_t reserved, fat_sectors, root_entries, total_sectors;
	uint64_t data_start;   /* sector */
	uint32_t clusters;
};

static bool is_power_of_two(unsigned v)
{
	return v && !(v & (v - 1));
}

static bool parse_bpb(const uint8_t *b, struct fat_geometry *g)
{
	g->bytes_per_sector = lb_le16(b + 11);
	g->sectors_per_cluster = b[13];
	g->reserved = lb_le16(b + 14);
	g->fats = b[16];
	g->root_entries = lb_le16(b + 17);
	g->total_sectors = lb_le16(b + 19) ? lb_le16(b + 19) : lb_le32(b + 32);
	g->fat_sectors = lb_le16(b + 22) ? lb_le16(b + 22) : lb_le32(b + 36);
	uint8_t media = b[21];
	if ((b[0] != 0xEB && b[0] != 0xE9) || g->bytes_per_sector < 512 || g->bytes_per_sector > 4096 ||
	    !is_power_of_two(g->bytes_per_sector) || !is_power_of_two(g->sectors_per_cluster) ||
	    g->reserved == 0 || g->fats == 0 || g->fat_sectors == 0 || g->total_sectors == 0 ||
	    (media != 0xF0 && media < 0xF8))
		return false;
	uint32_t root_sectors = (g->root_entries * FAT_DIRENT_SIZE + g->bytes_per_sector - 1) / g->bytes_per_sector;
	g->data_start = g->reserved + (uint64_t)g->fats * g->fat_sectors + root_sectors;
	if (g->data_start >= g->total_sectors)
		return false;
	g->clusters = (uint32_t)((g->total_sectors - g->data_start) / g->sectors_per_cluster);
	return true;
}

/* Looks for the volume-label entry among count directory entries. */
static bool find_label_entry(const uint8_t *dir, size_t count, struct lb_fs_info *fs, bool *end)
{
	for (size_t i = 0; i < count; i++) {
		const uint8_t *e = dir + i * FAT_DIRENT_SIZE;
		if (e[0] == 0) {
			*end = true;
			return false;
		}
		uint8_t attr = e[11];
		if (e[0] == 0xE5 || (attr & FAT_ATTR_LONG_NAME) == FAT_ATTR_LONG_NAME)
			continue;
		if ((attr & FAT_ATTR_VOLUME_ID) && !(attr & FAT_ATTR_DIRECTORY)) {
			if (memcmp(e, "NO NAME    ", 11) != 0)
				probe_set_label(fs, e, 11);
			return true;
		}
	}
	return false;
}

static int label_fixed_root(struct lb_dev *dev, const struct fat_geometry *g, struct lb_fs_info *fs)
{
	size_t len = (size_t)g->root_entries * FAT_DIRENT_SIZE;
	uint64_t off = (g->reserved + (uint64_t)g->fats * g->fat_sectors) * g->bytes_per_sector;
	if (len == 0 || off + len > dev->size)
		return 0;
	uint8_t *dir = malloc(len);
	if (!dir)
		return 0;
	int rc = lb_dev_read(dev, dir, len, off);
	bool end = false;
	if (rc == 0)
		find_label_entry(dir, g->root_entries, fs, &end);
	free(dir);
	return rc;
}

static int label_fat32_root(struct lb_dev *dev, const uint8_t *b, const struct fat_geometry *g, struct lb_fs_info *fs)
{
	size_t cluster_bytes = (size_t)g->sectors_per_cluster * g->bytes_per_sector;
	uint8_t *dir = malloc(cluster_bytes);
	if (!dir)
		return 0;
	uint32_t cluster = lb_le32(b + 44);
	int rc = 0;
	bool end = false;
	for (int n = 0; n < FAT_MAX_ROOT_CLUSTERS && cluster >= 2 && cluster < g->clusters + 2 && !end; n++) {
		uint64_t off = (g->data_start + (uint64_t)(cluster - 2) * g->sectors_per_cluster) * g->bytes_per_sector;
		uint64_t fat_entry = (uint64_t)g->reserved * g->bytes_per_sector + (uint64_t)cluster * 4;
		uint8_t next[4];
		if (off + cluster_bytes > dev->size || fat_entry + 4 > dev->size)
			break;
		rc = lb_dev_read(dev, dir, cluster_bytes, off);
		if (rc < 0 || find_label_entry(dir, cluster_bytes / FAT_DIRENT_SIZE, fs, &end))
			break;
		rc = lb_dev_read(dev, next, 4, fat_entry);
		if (rc < 0)
			break;
		cluster = lb_le32(next) & 0x0FFFFFFF;
		if (cluster >= FAT32_CHAIN_END)
			break;
	}
	free(dir);
	return rc;
}

int probe_fat(const struct probe_source *src, struct lb_fs_info *fs)
{
	struct fat_geometry g;
	const uint8_t *b = src->head;
	if (src->head_len < 512 || b[510] != 0x55 || b[511] != 0xAA || !parse_bpb(b, &g))
		return 0;
	bool fat32 = lb_le16(b + 22) == 0;
	if (fat32)
		fs->type = LB_FS_FAT32;
	else
		fs->type = g.clusters < 4085 ? LB_FS_FAT12 : LB_FS_FAT16;
	probe_set_serial32(fs, b + (fat32 ? 0x43 : 0x27));
	fs->block_size = (uint64_t)g.sectors_per_cluster * g.bytes_per_sector;
	fs->size_bytes = (uint64_t)g.total_sectors * g.bytes_per_sector;
	int rc = fat32 ? label_fat32_root(src->dev, b, &g, fs) : label_fixed_root(src->dev, &g, fs);
	return rc < 0 ? rc : 1;
}
