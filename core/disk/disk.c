/* Reading a disk's layout: which table it holds (GPT behind a protective or
 * hybrid MBR, a plain MBR, or none), the logical sector size of image
 * files, the layout checks, and a content probe of every partition. */
#include "disk_internal.h"
#include "lifeboat/bytes.h"
#include "lifeboat/error.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct lb_partition *disk_add_partition(struct lb_disk *disk)
{
	struct lb_partition *grown = realloc(disk->partitions, (disk->partition_count + 1) * sizeof *grown);
	if (!grown)
		return NULL;
	disk->partitions = grown;
	struct lb_partition *p = &grown[disk->partition_count++];
	memset(p, 0, sizeof *p);
	return p;
}

/* Image files do not know their sector size: a GPT header one 512-byte or
 * one 4096-byte sector in (or the backup in the last such sector) tells. */
static unsigned guess_sector_size(struct lb_dev *dev)
{
	if (dev->sector_size_set)
		return dev->logical_sector_size;
	if (gpt_signature_at(dev, 512))
		return 512;
	if (gpt_signature_at(dev, 4096))
		return 4096;
	if (dev->size >= 8192 && dev->size % 4096 == 0 && !gpt_signature_at(dev, dev->size - 512) &&
	    gpt_signature_at(dev, dev->size - 4096))
		return 4096;
	return 512;
}

/* GPT when any MBR slot is of type 0xEE; hybrid when other slots are used. */
static bool mbr_announces_gpt(const uint8_t *sector0, bool *hybrid)
{
	bool protective = false, others = false;
	for (unsigned slot = 0; slot < 4; slot++) {
		struct mbr_entry e;
		mbr_entry_parse(sector0, slot, &e);
		if (e.type == MBR_TYPE_GPT_PROTECTIVE)
			protective = true;
		else if (e.type != 0)
			others = true;
	}
	*hybrid = protective && others;
	return protective;
}

static bool mbr_statuses_valid(const uint8_t *sector0)
{
	for (unsigned slot = 0; slot < 4; slot++) {
		struct mbr_entry e;
		mbr_entry_parse(sector0, slot, &e);
		if (e.status != 0 && e.status != 0x80)
			return false;
	}
	return true;
}

/* A boot sector of a file system spanning the whole device also ends in
 * 55 AA; it is not a partition table. */
static bool is_volume_boot_sector(const struct lb_fs_info *fs)
{
	switch (fs->type) {
	case LB_FS_NTFS: case LB_FS_FAT12: case LB_FS_FAT16: case LB_FS_FAT32:
	case LB_FS_EXFAT: case LB_FS_BITLOCKER:
		return true;
	default:
		return false;
	}
}

static int read_table(struct lb_dev *dev, struct lb_disk *disk)
{
	unsigned ss = disk->sector_size;
	uint8_t *sector0 = malloc(ss);
	if (!sector0)
		return lb_fail(LB_E_NOMEM, "%s: out of memory", disk->path);
	int rc = lb_dev_read(dev, sector0, ss, 0);
	bool hybrid = false;
	if (rc < 0)
		goto out;
	if (mbr_has_boot_signature(sector0) && mbr_announces_gpt(sector0, &hybrid)) {
		disk->hybrid_mbr = hybrid;
		disk->mbr_signature = lb_le32(sector0 + 440);
		rc = gpt_read(dev, disk);
		goto out;
	}
	rc = lb_fs_probe(dev, &disk->whole_fs);
	if (rc < 0)
		goto out;
	if (mbr_has_boot_signature(sector0) && mbr_statuses_valid(sector0) && !is_volume_boot_sector(&disk->whole_fs)) {
		memset(&disk->whole_fs, 0, sizeof disk->whole_fs);
		rc = mbr_read(dev, sector0, disk);
	} else if (disk->whole_fs.type == LB_FS_UNKNOWN && gpt_signature_at(dev, ss)) {
		lb_warn("%s: GPT without a protective MBR", disk->path);
		rc = gpt_read(dev, disk);
	}
out:
	free(sector0);
	return rc;
}

static int probe_partitions(struct lb_dev *dev, struct lb_disk *disk)
{
	for (unsigned i = 0; i < disk->partition_count; i++) {
		struct lb_partition *p = &disk->partitions[i];
		if (p->is_extended)
			continue;
		char name[4096];
		snprintf(name, sizeof name, "%s:%u", disk->path, p->number);
		struct lb_dev *slice;
		int rc = lb_dev_open_slice(dev, p->start_bytes, p->size_bytes, name, &slice);
		if (rc == 0)
			rc = lb_fs_probe(slice, &p->fs);
		lb_dev_close(slice);
		if (rc < 0)
			return rc;
	}
	return 0;
}

int lb_disk_read(struct lb_dev *dev, struct lb_disk **out)
{
	*out = NULL;
	struct lb_disk *disk = calloc(1, sizeof *disk);
	if (!disk || !(disk->path = strdup(dev->path))) {
		free(disk);
		return lb_fail(LB_E_NOMEM, "%s: out of memory", dev->path);
	}
	memcpy(disk->model, dev->model, sizeof disk->model);
	memcpy(disk->serial, dev->serial, sizeof disk->serial);
	disk->size_bytes = dev->size;
	disk->sector_size = guess_sector_size(dev);
	int rc;
	if (dev->size < disk->sector_size)
		rc = lb_fail(LB_E_TRUNCATED, "%s: too small to hold a partition table (%llu bytes): the image is truncated",
			     dev->path, (unsigned long long)dev->size);
	else
		rc = read_table(dev, disk);
	if (rc == 0 && dev->size % disk->sector_size != 0)
		lb_warn("%s: size is not a multiple of the %u-byte sector", dev->path, disk->sector_size);
	if (rc == 0)
		rc = disk_check_layout(disk);
	if (rc == 0)
		rc = probe_partitions(dev, disk);
	if (rc < 0) {
		lb_disk_free(disk);
		return rc;
	}
	*out = disk;
	return 0;
}

void lb_disk_free(struct lb_disk *disk)
{
	if (!disk)
		return;
	free(disk->path);
	free(disk->partitions);
	free(disk);
}

const char *lb_table_type_name(enum lb_table_type type)
{
	switch (type) {
	case LB_TABLE_MBR: return "dos";
	case LB_TABLE_GPT: return "gpt";
	default: return "none";
	}
}
