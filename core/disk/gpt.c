/* GPT partition tables: header and entry-array CRC32 checks, the backup
 * copy at the end of the disk when the primary is damaged, and the
 * partition entries themselves. */
#include "disk_internal.h"
#include "lifeboat/bytes.h"
#include "lifeboat/error.h"
#include "lifeboat/utf16.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#define GPT_SIGNATURE "EFI PART"
#define GPT_MIN_HEADER_SIZE 92
#define GPT_NAME_UNITS 36
/* The entry array may not be larger than this: far above the 16 KiB the
 * spec asks for, small enough to read in one piece. */
#define GPT_MAX_ARRAY_BYTES (4u << 20)

struct gpt_copy {
	uint64_t my_lba, alt_lba, first_usable, last_usable, entries_lba;
	uint32_t entry_count, entry_size;
	uint8_t disk_guid[16];
	uint8_t *entries;          /* entry_count * entry_size bytes */
	char problem[160];         /* why this copy is unusable, "" if usable */
	bool header_ok;            /* header valid (entries may still be bad) */
};

static uint32_t crc32_of(const uint8_t *data, size_t len)
{
	return (uint32_t)crc32(crc32(0L, Z_NULL, 0), data, (uInt)len);
}

bool gpt_signature_at(struct lb_dev *dev, uint64_t off)
{
	char sig[8];
	return off + sizeof sig <= dev->size && lb_dev_read(dev, sig, sizeof sig, off) == 0 &&
	       memcmp(sig, GPT_SIGNATURE, sizeof sig) == 0;
}

/* Checks the header in sector (read from lba) and records its fields. */
static bool parse_header(uint8_t *sector, unsigned ss, uint64_t lba, struct gpt_copy *c)
{
	if (memcmp(sector, GPT_SIGNATURE, 8) != 0) {
		snprintf(c->problem, sizeof c->problem, "no GPT header at sector %llu", (unsigned long long)lba);
		return false;
	}
	uint32_t hsize = lb_le32(sector + 12);
	if (hsize < GPT_MIN_HEADER_SIZE || hsize > ss) {
		snprintf(c->problem, sizeof c->problem, "header size %u is invalid", hsize);
		return false;
	}
	uint32_t want = lb_le32(sector + 16);
	memset(sector + 16, 0, 4);
	if (crc32_of(sector, hsize) != want) {
		snprintf(c->problem, sizeof c->problem, "header CRC mismatch");
		return false;
	}
	c->my_lba = lb_le64(sector + 24);
	c->alt_lba = lb_le64(sector + 32);
	c->first_usable = lb_le64(sector + 40);
	c->last_usable = lb_le64(sector + 48);
	memcpy(c->disk_guid, sector + 56, 16);
	c->entries_lba = lb_le64(sector + 72);
	c->entry_count = lb_le32(sector + 80);
	c->entry_size = lb_le32(sector + 84);
	if (c->my_lba != lba || c->first_usable > c->last_usable || c->entry_size < 128 ||
	    c->entry_size % 8 != 0 || (uint64_t)c->entry_count * c->entry_size > GPT_MAX_ARRAY_BYTES) {
		snprintf(c->problem, sizeof c->problem, "header fields are inconsistent");
		return false;
	}
	return true;
}

/* Reads the copy whose header is at lba. Fails only on I/O errors and a
 * truncated entry array; a damaged copy is reported through c->problem. */
static int load_copy(struct lb_dev *dev, struct lb_disk *disk, uint64_t lba, struct gpt_copy *c)
{
	unsigned ss = disk->sector_size;
	uint64_t sectors = dev->size / ss;
	memset(c, 0, sizeof *c);
	if (lba >= sectors) {
		snprintf(c->problem, sizeof c->problem, "sector %llu is past the end of the disk", (unsigned long long)lba);
		return 0;
	}
	uint8_t *sector = malloc(ss);
	if (!sector)
		return lb_fail(LB_E_NOMEM, "%s: out of memory", disk->path);
	int rc = lb_dev_read(dev, sector, ss, lba * ss);
	uint32_t array_crc = lb_le32(sector + 88);
	bool ok = rc == 0 && parse_header(sector, ss, lba, c);
	free(sector);
	if (rc < 0 || !ok)
		return rc;
	c->header_ok = true;
	uint64_t array_bytes = (uint64_t)c->entry_count * c->entry_size;
	uint64_t array_sectors = (array_bytes + ss - 1) / ss;
	if (c->entries_lba >= sectors || array_sectors > sectors - c->entries_lba)
		return lb_fail(LB_E_TRUNCATED,
			       "%s: the GPT partition entries (sectors %llu-%llu) lie past the end of the disk (%llu sectors): the image is truncated",
			       disk->path, (unsigned long long)c->entries_lba,
			       (unsigned long long)(c->entries_lba + array_sectors - 1), (unsigned long long)sectors);
	c->entries = malloc(array_bytes ? array_bytes : 1);
	if (!c->entries)
		return lb_fail(LB_E_NOMEM, "%s: out of memory", disk->path);
	rc = lb_dev_read(dev, c->entries, array_bytes, c->entries_lba * ss);
	if (rc < 0)
		return rc;
	if (crc32_of(c->entries, array_bytes) != array_crc)
		snprintf(c->problem, sizeof c->problem, "partition entry array CRC mismatch");
	return 0;
}

static bool guid_is_zero(const uint8_t guid[16])
{
	for (int i = 0; i < 16; i++)
		if (guid[i])
			return false;
	return true;
}

static int add_entries(struct lb_disk *disk, const struct gpt_copy *c)
{
	for (uint32_t i = 0; i < c->entry_count; i++) {
		const uint8_t *e = c->entries + (size_t)i * c->entry_size;
		if (guid_is_zero(e))
			continue;
		uint64_t first = lb_le64(e + 32), last = lb_le64(e + 40);
		if (last < first)
			return lb_fail(LB_E_INVALID, "%s: GPT partition %u ends (sector %llu) before it starts (sector %llu)",
				       disk->path, i + 1, (unsigned long long)last, (unsigned long long)first);
		struct lb_partition *p = disk_add_partition(disk);
		if (!p)
			return lb_fail(LB_E_NOMEM, "%s: out of memory", disk->path);
		p->number = i + 1;
		p->start_lba = first;
		p->size_lba = last - first + 1;
		p->start_bytes = first * disk->sector_size;
		p->size_bytes = p->size_lba * disk->sector_size;
		memcpy(p->type_guid, e, 16);
		memcpy(p->part_guid, e + 16, 16);
		p->attributes = lb_le64(e + 48);
		lb_utf16_to_utf8(e + 56, GPT_NAME_UNITS, false, p->name, sizeof p->name);
	}
	return 0;
}

/* Records the header fields and entries of the copy in use. */
static int use_copy(struct lb_disk *disk, const struct gpt_copy *c)
{
	disk->table = LB_TABLE_GPT;
	memcpy(disk->disk_guid, c->disk_guid, 16);
	disk->first_usable_lba = c->first_usable;
	disk->last_usable_lba = c->last_usable;
	return add_entries(disk, c);
}

/* A table that addresses sectors the disk does not have. */
static int check_fits(struct lb_disk *disk, const struct gpt_copy *c, uint64_t sectors)
{
	uint64_t needed = c->alt_lba > c->last_usable ? c->alt_lba : c->last_usable;
	if (needed >= sectors)
		return lb_fail(LB_E_TRUNCATED,
			       "%s: the disk is smaller than its partition table claims (the GPT spans %llu sectors, the disk has %llu)",
			       disk->path, (unsigned long long)needed + 1, (unsigned long long)sectors);
	return 0;
}

int gpt_read(struct lb_dev *dev, struct lb_disk *disk)
{
	uint64_t sectors = dev->size / disk->sector_size;
	struct gpt_copy primary, backup = { 0 };
	int rc = load_copy(dev, disk, 1, &primary);
	if (rc < 0)
		goto out;
	if (!primary.problem[0]) {
		rc = check_fits(disk, &primary, sectors);
		if (rc < 0)
			goto out;
		if (load_copy(dev, disk, primary.alt_lba, &backup) < 0)
			lb_warn("backup GPT unreadable: %s", lb_error_message());
		else if (backup.problem[0])
			lb_warn("%s: backup GPT damaged (%s); the primary is intact", disk->path, backup.problem);
		else if (backup.my_lba != sectors - 1)
			lb_warn("%s: the backup GPT is not at the end of the disk", disk->path);
		rc = use_copy(disk, &primary);
		goto out;
	}
	uint64_t backup_lba = primary.header_ok ? primary.alt_lba : sectors - 1;
	rc = load_copy(dev, disk, backup_lba, &backup);
	if (rc < 0)
		goto out;
	if (backup.problem[0]) {
		rc = lb_fail(LB_E_CHECKSUM, "%s: both GPT copies are damaged (primary: %s; backup: %s)",
			     disk->path, primary.problem, backup.problem);
		goto out;
	}
	rc = check_fits(disk, &backup, sectors);
	if (rc < 0)
		goto out;
	if (primary.header_ok)
		lb_warn("%s: primary GPT damaged (%s), using the backup", disk->path, primary.problem);
	else
		lb_warn("%s: primary GPT header damaged, using the backup", disk->path);
	disk->gpt_used_backup = true;
	rc = use_copy(disk, &backup);
out:
	free(primary.entries);
	free(backup.entries);
	return rc;
}
