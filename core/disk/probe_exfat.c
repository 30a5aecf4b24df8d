/* exFAT probe: the "EXFAT" boot sector, the volume serial as UUID, and the
 * label from the volume-label entry (type 0x83) of the root directory. */
#include "probe.h"
#include "lifeboat/bytes.h"
#include "lifeboat/utf16.h"

#include <stdlib.h>
#include <string.h>

#define EXFAT_ENTRY_SIZE 32
#define EXFAT_ENTRY_END 0x00
#define EXFAT_ENTRY_LABEL 0x83
#define EXFAT_LABEL_MAX_UNITS 11
#define EXFAT_CHAIN_END 0xFFFFFFF7
#define EXFAT_MAX_ROOT_CLUSTERS 64

struct exfat_geometry {
	uint64_t fat_offset, heap_offset, cluster_bytes;  /* bytes */
	uint32_t cluster_count;
};

/* 1 when the label entry (or the end of the directory) was in dir. */
static int scan_entries(const uint8_t *dir, size_t len, struct lb_fs_info *fs)
{
	for (size_t off = 0; off + EXFAT_ENTRY_SIZE <= len; off += EXFAT_ENTRY_SIZE) {
		const uint8_t *e = dir + off;
		if (e[0] == EXFAT_ENTRY_END)
			return 1;
		if (e[0] == EXFAT_ENTRY_LABEL) {
			unsigned units = e[1] < EXFAT_LABEL_MAX_UNITS ? e[1] : EXFAT_LABEL_MAX_UNITS;
			lb_utf16_to_utf8(e + 2, units, false, fs->label, sizeof fs->label);
			return 1;
		}
	}
	return 0;
}

static int read_root_label(struct lb_dev *dev, const struct exfat_geometry *g, uint32_t cluster, struct lb_fs_info *fs)
{
	uint8_t *dir = malloc(g->cluster_bytes);
	if (!dir)
		return 0;
	int rc = 0;
	for (int n = 0; n < EXFAT_MAX_ROOT_CLUSTERS && cluster >= 2 && cluster < g->cluster_count + 2; n++) {
		uint64_t off = g->heap_offset + (uint64_t)(cluster - 2) * g->cluster_bytes;
		uint64_t fat_entry = g->fat_offset + (uint64_t)cluster * 4;
		uint8_t next[4];
		if (off + g->cluster_bytes > dev->size || fat_entry + 4 > dev->size)
			break;
		rc = lb_dev_read(dev, dir, g->cluster_bytes, off);
		if (rc < 0 || scan_entries(dir, g->cluster_bytes, fs))
			break;
		rc = lb_dev_read(dev, next, 4, fat_entry);
		if (rc < 0)
			break;
		cluster = lb_le32(next);
		if (cluster >= EXFAT_CHAIN_END)
			break;
	}
	free(dir);
	return rc;
}

int probe_exfat(const struct probe_source *src, struct lb_fs_info *fs)
{
	const uint8_t *b = src->head;
	if (src->head_len < 512 || memcmp(b + 3, "EXFAT   ", 8) != 0)
		return 0;
	unsigned sector_shift = b[108], cluster_shift = b[109];
	if (sector_shift < 9 || sector_shift > 12 || sector_shift + cluster_shift > 25)
		return 0;
	struct exfat_geometry g = {
		.fat_offset = (uint64_t)lb_le32(b + 80) << sector_shift,
		.heap_offset = (uint64_t)lb_le32(b + 88) << sector_shift,
		.cluster_bytes = 1ull << (sector_shift + cluster_shift),
		.cluster_count = lb_le32(b + 92),
	};
	fs->type = LB_FS_EXFAT;
	probe_set_serial32(fs, b + 100);
	fs->block_size = g.cluster_bytes;
	fs->size_bytes = lb_le64(b + 72) << sector_shift;
	int rc = read_root_label(src->dev, &g, lb_le32(b + 96), fs);
	return rc < 0 ? rc : 1;
}
