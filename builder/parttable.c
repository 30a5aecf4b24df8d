/* The recovery partition's table edits: read the raw MBR or GPT sectors,
 * add or empty one entry slot, recompute the GPT CRCs, write backup-first
 * with rollback, keep the table as a backup file, and find unallocated
 * space without ever moving or shrinking a partition. */
#include "parttable.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "lifeboat/bytes.h"
#include "lifeboat/error.h"

#define ALIGN_BYTES (1u << 20)
#define BACKUP_MAGIC "lifeboat partition table backup 1\n"

static uint32_t crc32_of(const uint8_t *data, size_t len)
{
	return (uint32_t)crc32(crc32(0L, Z_NULL, 0), data, (uInt)len);
}

void part_table_free(struct part_table *t)
{
	for (unsigned i = 0; i < t->nregions; i++)
		free(t->region[i].data);
	memset(t, 0, sizeof *t);
}

static int region_read(struct lb_dev *dev, struct table_region *r, uint64_t offset, uint64_t len)
{
	if (len == 0 || len > (8u << 20) || offset + len > dev->size)
		return lb_fail(LB_E_INVALID, "%s: partition table extends past the disk", dev->path);
	r->offset = offset;
	r->len = (uint32_t)len;
	r->data = malloc(len);
	if (!r->data)
		return lb_fail(LB_E_NOMEM, "out of memory");
	return lb_dev_read(dev, r->data, len, offset);
}

/* Checks one GPT header at lba and its entry array (read as region). */
static int gpt_copy_read(struct lb_dev *dev, struct part_table *t, unsigned which, uint64_t lba)
{
	unsigned ss = t->sector_size;
	uint8_t *hdr = malloc(ss);
	if (!hdr)
		return lb_fail(LB_E_NOMEM, "out of memory");
	int rc = lb_dev_read(dev, hdr, ss, lba * ss);
	uint32_t hsize = lb_le32(hdr + 12);
	if (!rc && (memcmp(hdr, "EFI PART", 8) != 0 || hsize < 92 || hsize > ss))
		rc = lb_fail(LB_E_INVALID, "%s: no valid GPT header at sector %" PRIu64, dev->path, lba);
	if (!rc) {
		uint32_t want = lb_le32(hdr + 16);
		memset(hdr + 16, 0, 4);
		if (crc32_of(hdr, hsize) != want || lb_le64(hdr + 24) != lba)
			rc = lb_fail(LB_E_INVALID, "%s: the GPT header at sector %" PRIu64 " is damaged", dev->path, lba);
	}
	if (!rc) {
		t->header_lba[which] = lba;
		t->entries_lba[which] = lb_le64(hdr + 72);
		uint32_t count = lb_le32(hdr + 80), size = lb_le32(hdr + 84);
		if (which == 1 && (count != t->entry_count || size != t->entry_size))
			rc = lb_fail(LB_E_INVALID, "%s: the two GPT copies disagree", dev->path);
		t->entry_count = count;
		t->entry_size = size;
		if (!rc && (size < 128 || (uint64_t)count * size > (4u << 20)))
			rc = lb_fail(LB_E_INVALID, "%s: GPT entry array is invalid", dev->path);
	}
	if (!rc) {
		uint64_t array = (uint64_t)t->entry_count * t->entry_size;
		uint64_t array_sectors = (array + ss - 1) / ss;
		uint64_t lo = which == 0 ? 0 : t->entries_lba[1];
		uint64_t hi = which == 0 ? t->entries_lba[0] + array_sectors : lba + 1;
		if (which == 1 && t->entries_lba[1] + array_sectors > lba)
			rc = lb_fail(LB_E_UNSUPPORTED, "%s: the backup GPT entries do not precede its header", dev->path);
		if (!rc)
			rc = region_read(dev, &t->region[which], lo * ss, (hi - lo) * ss);
		if (!rc)
			t->nregions = which + 1;
		const uint8_t *entries = rc ? NULL
					    : t->region[which].data + (t->entries_lba[which] - lo) * ss;
		if (!rc && crc32_of(entries, array) != lb_le32(hdr + 88))
			rc = lb_fail(LB_E_INVALID, "%s: the GPT entry array at sector %" PRIu64 " is damaged",
				     dev->path, t->entries_lba[which]);
	}
	free(hdr);
	return rc;
}

int part_table_read(struct lb_dev *dev, const struct lb_disk *disk, struct part_table *out)
{
	memset(out, 0, sizeof *out);
	out->type = disk->table;
	out->sector_size = disk->sector_size;
	out->disk_size = disk->size_bytes;
	if (disk->table == LB_TABLE_MBR) {
		int rc = region_read(dev, &out->region[0], 0, disk->sector_size);
		if (!rc)
			out->nregions = 1;
		return rc;
	}
	if (disk->table != LB_TABLE_GPT)
		return lb_fail(LB_E_REFUSED, "%s has no partition table; a recovery partition is added to a "
			       "disk that holds an installed system", dev->path);
	if (disk->gpt_used_backup)
		return lb_fail(LB_E_REFUSED, "%s: the primary GPT is damaged; repair it first (sgdisk -v, gdisk)",
			       dev->path);
	int rc = gpt_copy_read(dev, out, 0, 1);
	uint64_t alt = 0;
	if (!rc) {
		uint8_t *hdr = out->region[0].data + out->sector_size;
		alt = lb_le64(hdr + 32);
		if (alt >= dev->size / out->sector_size)
			rc = lb_fail(LB_E_INVALID, "%s: the backup GPT lies past the end of the disk", dev->path);
	}
	if (!rc)
		rc = gpt_copy_read(dev, out, 1, alt);
	if (rc)
		part_table_free(out);
	return rc;
}

int part_table_copy(const struct part_table *src, struct part_table *dst)
{
	*dst = *src;
	for (unsigned i = 0; i < src->nregions; i++) {
		dst->region[i].data = malloc(src->region[i].len);
		if (!dst->region[i].data) {
			dst->nregions = i;
			part_table_free(dst);
			return lb_fail(LB_E_NOMEM, "out of memory");
		}
		memcpy(dst->region[i].data, src->region[i].data, src->region[i].len);
	}
	return 0;
}

int part_table_equal(const struct part_table *a, const struct part_table *b)
{
	if (a->nregions != b->nregions || a->type != b->type)
		return 0;
	for (unsigned i = 0; i < a->nregions; i++)
		if (a->region[i].offset != b->region[i].offset || a->region[i].len != b->region[i].len ||
		    memcmp(a->region[i].data, b->region[i].data, a->region[i].len) != 0)
			return 0;
	return 1;
}

static uint8_t *gpt_header(struct part_table *t, unsigned which)
{
	return t->region[which].data + (t->header_lba[which] * t->sector_size - t->region[which].offset);
}

static uint8_t *gpt_entry(struct part_table *t, unsigned which, uint32_t slot)
{
	return t->region[which].data + (t->entries_lba[which] * t->sector_size - t->region[which].offset) +
	       (size_t)slot * t->entry_size;
}

/* Recomputes the entry-array and header CRCs of both GPT copies. */
static void gpt_seal(struct part_table *t)
{
	for (unsigned w = 0; w < 2; w++) {
		uint8_t *hdr = gpt_header(t, w);
		lb_put_le32(hdr + 88, crc32_of(gpt_entry(t, w, 0), (size_t)t->entry_count * t->entry_size));
		lb_put_le32(hdr + 16, 0);
		lb_put_le32(hdr + 16, crc32_of(hdr, lb_le32(hdr + 12)));
	}
}

static const uint8_t zero_guid[16];

/* MBR CHS of an LBA in the 255-head, 63-sector geometry, capped. */
static void mbr_chs(uint64_t lba, uint8_t out[3])
{
	uint64_t cyl = lba / (255 * 63), head = lba / 63 % 255, sec = lba % 63 + 1;
	if (cyl > 1023) {
		cyl = 1023;
		head = 254;
		sec = 63;
	}
	out[0] = (uint8_t)head;
	out[1] = (uint8_t)(sec | ((cyl >> 2) & 0xc0));
	out[2] = (uint8_t)cyl;
}

int part_table_add(struct part_table *t, const struct part_entry *e, unsigned *number)
{
	if (t->type == LB_TABLE_MBR) {
		uint8_t *slots = t->region[0].data + 446;
		for (unsigned i = 0; i < 4; i++) {
			uint8_t *p = slots + 16 * i;
			if (p[4] != 0 || lb_le32(p + 12) != 0)
				continue;
			if (e->start_lba + e->size_lba > UINT32_MAX)
				return lb_fail(LB_E_REFUSED, "the free space lies beyond 2 TiB, which an MBR cannot address");
			memset(p, 0, 16);
			mbr_chs(e->start_lba, p + 1);
			p[4] = e->mbr_type;
			mbr_chs(e->start_lba + e->size_lba - 1, p + 5);
			lb_put_le32(p + 8, (uint32_t)e->start_lba);
			lb_put_le32(p + 12, (uint32_t)e->size_lba);
			*number = i + 1;
			return 0;
		}
		return lb_fail(LB_E_REFUSED, "all four primary MBR entries are in use; delete one or convert the "
			       "disk to GPT in Windows first");
	}
	for (uint32_t slot = 0; slot < t->entry_count; slot++) {
		if (memcmp(gpt_entry(t, 0, slot), zero_guid, 16) != 0)
			continue;
		for (unsigned w = 0; w < 2; w++) {
			uint8_t *p = gpt_entry(t, w, slot);
			memset(p, 0, t->entry_size);
			memcpy(p, e->type_guid, 16);
			memcpy(p + 16, e->part_guid, 16);
			lb_put_le64(p + 32, e->start_lba);
			lb_put_le64(p + 40, e->start_lba + e->size_lba - 1);
			lb_put_le64(p + 48, e->attributes);
			for (size_t i = 0; e->name[i] && i < 36; i++)
				lb_put_le16(p + 56 + 2 * i, (uint8_t)e->name[i]);
		}
		gpt_seal(t);
		*number = slot + 1;
		return 0;
	}
	return lb_fail(LB_E_REFUSED, "every GPT entry slot is in use");
}

int part_table_remove(struct part_table *t, unsigned number)
{
	if (t->type == LB_TABLE_MBR) {
		if (number < 1 || number > 4)
			return lb_fail(LB_E_INVALID, "partition %u is not a primary MBR partition", number);
		memset(t->region[0].data + 446 + 16 * (number - 1), 0, 16);
		return 0;
	}
	if (number < 1 || number > t->entry_count)
		return lb_fail(LB_E_INVALID, "partition %u is not in the GPT", number);
	for (unsigned w = 0; w < 2; w++)
		memset(gpt_entry(t, w, number - 1), 0, t->entry_size);
	gpt_seal(t);
	return 0;
}

static int regions_write(struct lb_dev *dev, const struct part_table *t)
{
	int rc = 0;
	for (unsigned i = t->nregions; !rc && i-- > 0;) {
		rc = lb_dev_write(dev, t->region[i].data, t->region[i].len, t->region[i].offset);
		if (!rc)
			rc = lb_dev_flush(dev);
	}
	return rc;
}

int part_table_write(struct lb_dev *dev, const struct part_table *t, const struct part_table *original)
{
	int rc = regions_write(dev, t);
	if (!rc)
		return 0;
	char *why = strdup(lb_error_message());
	int back = regions_write(dev, original);
	rc = lb_fail(LB_E_IO, "%s: writing the partition table failed (%s); %s", dev->path, why ? why : "?",
		     back ? "the original table could not be written back either: restore it from the backup"
			  : "the original table was written back");
	free(why);
	return rc;
}

void part_table_serialize(const struct part_table *t, unsigned added, struct lb_strbuf *out)
{
	lb_strbuf_puts(out, BACKUP_MAGIC);
	lb_strbuf_printf(out, "table %s\nsector-size %u\ndisk-size %" PRIu64 "\nadded-partition %u\n",
			 lb_table_type_name(t->type), t->sector_size, t->disk_size, added);
	for (unsigned i = 0; i < t->nregions; i++)
		lb_strbuf_printf(out, "region %" PRIu64 " %u\n", t->region[i].offset, t->region[i].len);
	lb_strbuf_puts(out, "end\n");
	for (unsigned i = 0; i < t->nregions; i++)
		lb_strbuf_append(out, (const char *)t->region[i].data, t->region[i].len);
}

int part_table_parse(const char *data, size_t len, struct part_table *out, unsigned *added)
{
	memset(out, 0, sizeof *out);
	const char *end = memmem(data, len, "\nend\n", 5);
	if (len < sizeof BACKUP_MAGIC || memcmp(data, BACKUP_MAGIC, sizeof BACKUP_MAGIC - 1) != 0 || !end)
		return lb_fail(LB_E_INVALID, "not a Lifeboat partition table backup");
	char type[8];
	int used = 0;
	const char *p = data + sizeof BACKUP_MAGIC - 1;
	if (sscanf(p, "table %7s sector-size %u disk-size %" SCNu64 " added-partition %u%n", type,
		   &out->sector_size, &out->disk_size, added, &used) != 4)
		return lb_fail(LB_E_INVALID, "partition table backup: header is damaged");
	out->type = strcmp(type, "gpt") == 0 ? LB_TABLE_GPT : LB_TABLE_MBR;
	p += used;
	const char *raw = end + 5;
	size_t left = len - (size_t)(raw - data);
	uint64_t off;
	unsigned rlen;
	while (out->nregions < 2 && sscanf(p, " region %" SCNu64 " %u%n", &off, &rlen, &used) == 2) {
		p += used;
		if (rlen > left) {
			part_table_free(out);
			return lb_fail(LB_E_INVALID, "partition table backup is cut short");
		}
		struct table_region *r = &out->region[out->nregions++];
		r->offset = off;
		r->len = rlen;
		r->data = malloc(rlen);
		if (!r->data) {
			part_table_free(out);
			return lb_fail(LB_E_NOMEM, "out of memory");
		}
		memcpy(r->data, raw, rlen);
		raw += rlen;
		left -= rlen;
	}
	return 0;
}

int part_table_find_space(const struct lb_disk *disk, uint64_t size, uint64_t *start_lba, uint64_t *largest)
{
	unsigned ss = disk->sector_size;
	uint64_t align = ALIGN_BYTES / ss, need = size / ss;
	uint64_t lo = disk->table == LB_TABLE_GPT ? disk->first_usable_lba : 1;
	uint64_t hi = disk->table == LB_TABLE_GPT ? disk->last_usable_lba + 1 : disk->size_bytes / ss;
	if (disk->table == LB_TABLE_MBR && hi > UINT32_MAX)
		hi = UINT32_MAX;
	bool found = false;
	*largest = 0;
	/* Every gap begins at lo or at a partition's end; it ends at the next
	 * partition's start or at hi. Logical partitions lie inside their
	 * extended partition, which counts as occupied. */
	for (unsigned i = 0; i <= disk->partition_count; i++) {
		uint64_t from = i == 0 ? lo : disk->partitions[i - 1].start_lba + disk->partitions[i - 1].size_lba;
		if (i > 0 && disk->partitions[i - 1].is_logical)
			continue;
		uint64_t to = hi;
		for (unsigned j = 0; j < disk->partition_count; j++) {
			const struct lb_partition *p = &disk->partitions[j];
			if (!p->is_logical && p->start_lba + p->size_lba > from && p->start_lba < to)
				to = p->start_lba >= from ? p->start_lba : from;
		}
		uint64_t a = (from + align - 1) / align * align, b = to / align * align;
		if (b <= a)
			continue;
		if ((b - a) * ss > *largest)
			*largest = (b - a) * ss;
		if (b - a >= need && (!found || b - need > *start_lba)) {
			*start_lba = b - need;
			found = true;
		}
	}
	return found ? 0 : LB_E_REFUSED;
}
