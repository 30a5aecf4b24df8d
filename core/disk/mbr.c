/* MBR partition tables: the four primary slots and the chain of extended
 * boot records (EBRs) holding logical partitions, numbered as Linux does
 * (logical partitions from 5). A chain that loops or leaves its extended
 * partition is an error, never followed blindly. */
#include "disk_internal.h"
#include "lifeboat/bytes.h"
#include "lifeboat/error.h"

#include <stdlib.h>
#include <string.h>

/* More logical partitions than any partitioning tool creates: a bound on
 * the chain walk so a corrupt chain cannot run for long. */
#define MBR_MAX_LOGICAL 256

void mbr_entry_parse(const uint8_t *sector, unsigned slot, struct mbr_entry *e)
{
	const uint8_t *p = sector + MBR_ENTRIES_OFFSET + slot * MBR_ENTRY_SIZE;
	e->status = p[0];
	e->type = p[4];
	e->start = lb_le32(p + 8);
	e->sectors = lb_le32(p + 12);
}

bool mbr_has_boot_signature(const uint8_t *sector)
{
	return sector[MBR_SIGNATURE_OFFSET] == 0x55 && sector[MBR_SIGNATURE_OFFSET + 1] == 0xAA;
}

bool lb_mbr_type_is_extended(uint8_t type)
{
	return type == 0x05 || type == 0x0F || type == 0x85;
}

static int add_mbr_partition(struct lb_disk *disk, unsigned number, const struct mbr_entry *e,
			     uint64_t start_lba, bool logical)
{
	struct lb_partition *p = disk_add_partition(disk);
	if (!p)
		return lb_fail(LB_E_NOMEM, "%s: out of memory", disk->path);
	p->number = number;
	p->start_lba = start_lba;
	p->size_lba = e->sectors;
	p->start_bytes = start_lba * disk->sector_size;
	p->size_bytes = (uint64_t)e->sectors * disk->sector_size;
	p->mbr_type = e->type;
	p->bootable = e->status == 0x80;
	p->is_extended = !logical && lb_mbr_type_is_extended(e->type);
	p->is_logical = logical;
	return 0;
}

static bool seen_before(const uint64_t *visited, unsigned n, uint64_t lba)
{
	for (unsigned i = 0; i < n; i++)
		if (visited[i] == lba)
			return true;
	return false;
}

/* Walks the EBR chain of the extended partition at ext_start (ext_sectors
 * long). Each EBR's first slot is a logical partition relative to the EBR,
 * its second slot links the next EBR relative to the extended partition. */
static int read_logical_chain(struct lb_dev *dev, struct lb_disk *disk, uint64_t ext_start, uint64_t ext_sectors)
{
	unsigned ss = disk->sector_size;
	uint64_t visited[MBR_MAX_LOGICAL];
	unsigned nvisited = 0, number = 5;
	uint64_t ebr = ext_start;
	uint8_t *sector = malloc(ss);
	int rc = 0;
	if (!sector)
		return lb_fail(LB_E_NOMEM, "%s: out of memory", disk->path);
	for (;;) {
		if (seen_before(visited, nvisited, ebr)) {
			rc = lb_fail(LB_E_INVALID, "%s: loop in the extended partition chain (the EBR at sector %llu is linked twice)",
				     disk->path, (unsigned long long)ebr);
			break;
		}
		if (nvisited == MBR_MAX_LOGICAL) {
			rc = lb_fail(LB_E_INVALID, "%s: extended partition chain longer than %d entries",
				     disk->path, MBR_MAX_LOGICAL);
			break;
		}
		if (ebr < ext_start || ebr >= ext_start + ext_sectors) {
			rc = lb_fail(LB_E_INVALID, "%s: extended partition chain links sector %llu, outside the extended partition",
				     disk->path, (unsigned long long)ebr);
			break;
		}
		visited[nvisited++] = ebr;
		if (ebr >= dev->size / ss) {
			rc = lb_fail(LB_E_TRUNCATED, "%s: the EBR at sector %llu lies past the end of the disk: the image is truncated",
				     disk->path, (unsigned long long)ebr);
			break;
		}
		rc = lb_dev_read(dev, sector, ss, ebr * ss);
		if (rc < 0)
			break;
		if (!mbr_has_boot_signature(sector)) {
			lb_warn("%s: the EBR at sector %llu has no boot signature; logical partitions after it ignored",
				disk->path, (unsigned long long)ebr);
			break;
		}
		struct mbr_entry part, next;
		mbr_entry_parse(sector, 0, &part);
		mbr_entry_parse(sector, 1, &next);
		if (part.type != 0 && part.sectors != 0) {
			rc = add_mbr_partition(disk, number++, &part, ebr + part.start, true);
			if (rc < 0)
				break;
			disk->partitions[disk->partition_count - 1].ebr_lba = ebr;
		}
		if (next.sectors == 0 || !lb_mbr_type_is_extended(next.type))
			break;
		ebr = ext_start + next.start;
	}
	free(sector);
	return rc;
}

int mbr_read(struct lb_dev *dev, const uint8_t *sector0, struct lb_disk *disk)
{
	int extended = -1;   /* index in disk->partitions */
	disk->table = LB_TABLE_MBR;
	disk->mbr_signature = lb_le32(sector0 + 440);
	for (unsigned slot = 0; slot < 4; slot++) {
		struct mbr_entry e;
		mbr_entry_parse(sector0, slot, &e);
		if (e.type == 0 || e.sectors == 0)
			continue;
		int rc = add_mbr_partition(disk, slot + 1, &e, e.start, false);
		if (rc < 0)
			return rc;
		if (lb_mbr_type_is_extended(e.type)) {
			if (extended >= 0)
				lb_warn("%s: more than one extended partition; only the first is read", disk->path);
			else
				extended = (int)disk->partition_count - 1;
		}
	}
	/* The primary partitions must make sense before their chain is followed. */
	int rc = disk_check_layout(disk);
	if (rc < 0 || extended < 0)
		return rc;
	const struct lb_partition *ext = &disk->partitions[extended];
	return read_logical_chain(dev, disk, ext->start_lba, ext->size_lba);
}
