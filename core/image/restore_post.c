/* After a partition restore into free space: the new table entry
 * (table_add.c). After a whole-disk restore: rewrites the GPT so its backup sits at the
 * end of the target (a larger disk), optionally with fresh disk and
 * partition GUIDs (--new-identity) and the last partition grown to the end
 * (--grow-last); on MBR disks, a fresh signature or a grown last primary
 * partition. A grown partition's ext2/3/4 or NTFS is grown with it. Source
 * identities are kept unless asked otherwise. */
#include "restore_post.h"

#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <zlib.h>

#include "lifeboat/error.h"
#include "lifeboat/bytes.h"
#include "lifeboat/disk.h"
#include "lifeboat/fs_grow.h"
#include "restore_free.h"

#define GPT_MAX_ENTRIES_BYTES (1u << 20)

static int random_bytes(void *buf, size_t len)
{
	if (getrandom(buf, len, 0) != (ssize_t)len)
		return lb_fail_errno(LB_E_IO, "no random numbers for new identities");
	return 0;
}

static int random_guid(uint8_t g[16])
{
	int rc = random_bytes(g, 16);
	g[7] = (uint8_t)((g[7] & 0x0F) | 0x40);
	g[8] = (uint8_t)((g[8] & 0x3F) | 0x80);
	return rc;
}

static uint32_t crc(const uint8_t *p, size_t len)
{
	return (uint32_t)crc32(0, p, (uInt)len);
}

/* The partition --grow-last grew, in bytes of the target (size 0: none). */
struct grown {
	uint64_t offset, size;
};

struct gpt {
	unsigned ss;
	uint64_t last_lba;      /* of the target */
	uint8_t *hdr;           /* one sector */
	uint8_t *entries;
	uint32_t count, esize;
	size_t entries_len;
};

static int read_gpt(struct lb_dev *t, struct gpt *g)
{
	g->hdr = malloc(g->ss);
	if (!g->hdr)
		return lb_fail(LB_E_NOMEM, "out of memory");
	int rc = lb_dev_read(t, g->hdr, g->ss, g->ss);
	if (rc < 0)
		return rc;
	uint32_t hsize = lb_le32(g->hdr + 12);
	if (memcmp(g->hdr, "EFI PART", 8) != 0 || hsize < 92 || hsize > g->ss)
		return lb_fail(LB_E_INVALID, "restored GPT header is missing");
	g->count = lb_le32(g->hdr + 80);
	g->esize = lb_le32(g->hdr + 84);
	if (g->esize < 128 || g->esize > 4096 || (uint64_t)g->count * g->esize > GPT_MAX_ENTRIES_BYTES)
		return lb_fail(LB_E_INVALID, "restored GPT has a bad entry array");
	g->entries_len = (size_t)g->count * g->esize;
	g->entries = malloc(g->entries_len ? g->entries_len : 1);
	if (!g->entries)
		return lb_fail(LB_E_NOMEM, "out of memory");
	return lb_dev_read(t, g->entries, g->entries_len, lb_le64(g->hdr + 72) * g->ss);
}

static bool entry_used(const uint8_t *e)
{
	static const uint8_t zero[16];
	return memcmp(e, zero, 16) != 0;
}

static int gpt_adjust(struct gpt *g, const struct lb_restore_opts *o, struct grown *grown)
{
	uint64_t entry_sectors = (g->entries_len + g->ss - 1) / g->ss;
	uint64_t last_usable = g->last_lba - entry_sectors - 1;
	uint8_t *last = NULL;
	int rc = 0;
	if (o->new_identity)
		rc = random_guid(g->hdr + 56);
	for (uint32_t i = 0; rc == 0 && i < g->count; i++) {
		uint8_t *e = g->entries + (size_t)i * g->esize;
		if (!entry_used(e))
			continue;
		if (lb_le64(e + 40) > last_usable)
			return lb_fail(LB_E_REFUSED, "partition %u does not fit the target", i + 1);
		if (o->new_identity)
			rc = random_guid(e + 16);
		if (!last || lb_le64(e + 40) > lb_le64(last + 40))
			last = e;
	}
	if (rc == 0 && o->grow_last && last) {
		lb_put_le64(last + 40, last_usable);
		grown->offset = lb_le64(last + 32) * g->ss;
		grown->size = (last_usable + 1 - lb_le64(last + 32)) * g->ss;
	}
	lb_put_le64(g->hdr + 32, g->last_lba);
	lb_put_le64(g->hdr + 48, last_usable);
	lb_put_le32(g->hdr + 88, crc(g->entries, g->entries_len));
	return rc;
}

static void seal_header(uint8_t *hdr)
{
	uint32_t hsize = lb_le32(hdr + 12);
	lb_put_le32(hdr + 16, 0);
	lb_put_le32(hdr + 16, crc(hdr, hsize));
}

/* The backup first (entries, then header), then the primary (entries,
 * then header): at every moment one copy, the old primary or the new
 * backup at the disk's end, is whole and valid. */
static int write_gpt(struct lb_dev *t, struct gpt *g)
{
	uint64_t entry_sectors = (g->entries_len + g->ss - 1) / g->ss;
	uint64_t primary_entries = lb_le64(g->hdr + 72);
	uint8_t *backup = malloc(g->ss);
	if (!backup)
		return lb_fail(LB_E_NOMEM, "out of memory");
	memcpy(backup, g->hdr, g->ss);
	lb_put_le64(backup + 24, g->last_lba);
	lb_put_le64(backup + 32, 1);
	lb_put_le64(backup + 72, g->last_lba - entry_sectors);
	seal_header(backup);
	seal_header(g->hdr);
	int rc = lb_dev_write(t, g->entries, g->entries_len, (g->last_lba - entry_sectors) * g->ss);
	if (rc == 0)
		rc = lb_dev_write(t, backup, g->ss, g->last_lba * g->ss);
	if (rc == 0)
		rc = lb_dev_flush(t);
	if (rc == 0)
		rc = lb_dev_write(t, g->entries, g->entries_len, primary_entries * g->ss);
	if (rc == 0)
		rc = lb_dev_write(t, g->hdr, g->ss, g->ss);
	free(backup);
	uint8_t mbr[16];
	if (rc == 0)
		rc = lb_dev_read(t, mbr, 16, 446);
	if (rc == 0 && mbr[4] == 0xEE) {
		lb_put_le32(mbr + 12, g->last_lba > 0xFFFFFFFFu ? 0xFFFFFFFFu : (uint32_t)g->last_lba);
		rc = lb_dev_write(t, mbr, 16, 446);
	}
	return rc;
}

static int fix_gpt(struct lb_dev *t, const struct lb_image_info *info, const struct lb_restore_opts *o,
		   struct grown *grown)
{
	struct gpt g = { .ss = info->sector_size, .last_lba = t->size / info->sector_size - 1 };
	int rc = read_gpt(t, &g);
	if (rc == 0)
		rc = gpt_adjust(&g, o, grown);
	if (rc == 0)
		rc = write_gpt(t, &g);
	free(g.hdr);
	free(g.entries);
	return rc;
}

static int fix_mbr(struct lb_dev *t, const struct lb_image_info *info, const struct lb_restore_opts *o,
		   struct grown *grown)
{
	uint8_t mbr[512];
	int rc = lb_dev_read(t, mbr, sizeof mbr, 0);
	if (rc == 0 && o->new_identity)
		rc = random_bytes(mbr + 440, 4);
	uint8_t *last = NULL;
	for (int i = 0; i < 4; i++) {
		uint8_t *e = mbr + 446 + 16 * i;
		if (e[4] && (!last || lb_le32(e + 8) > lb_le32(last + 8)))
			last = e;
	}
	if (rc == 0 && o->grow_last && last && lb_mbr_type_is_extended(last[4]))
		lb_warn("--grow-last: the last entry is an empty extended partition; nothing was grown");
	else if (rc == 0 && o->grow_last && last) {
		uint64_t sectors = t->size / info->sector_size - lb_le32(last + 8);
		lb_put_le32(last + 12, sectors > 0xFFFFFFFFu ? 0xFFFFFFFFu : (uint32_t)sectors);
		grown->offset = (uint64_t)lb_le32(last + 8) * info->sector_size;
		grown->size = (uint64_t)lb_le32(last + 12) * info->sector_size;
	}
	return rc < 0 ? rc : lb_dev_write(t, mbr, sizeof mbr, 0);
}

/* The grown partition's file system, as the image knew it, fills it. */
static int grow_fs(struct lb_dev *target, const struct lb_image_info *info, const struct grown *grown)
{
	for (unsigned i = 0; i < info->part_count; i++) {
		const struct lb_image_part *p = &info->parts[i];
		if (p->offset != grown->offset || !lb_fs_can_grow(p->fs))
			continue;
		int rc = lb_fs_grow(target->path, grown->offset, grown->size, p->fs);
		return rc < 0 ? lb_fail_context(rc, "all data was restored and partition %u grown, but not its file "
						"system", p->number) : 0;
	}
	return 0;
}

int lbi_restore_post(struct lb_image *img, struct lb_dev *target, const struct lb_restore_opts *o,
		     const struct lb_restore_plan *plan)
{
	const struct lb_image_info *info = &img->info;
	if (plan->new_partition)
		return lbi_table_add(target, info, o, plan);
	if (info->kind != LB_IMAGE_DISK || o->partition)
		return 0;
	int rc = 0;
	struct grown grown = { 0, 0 };
	if (info->table_type == 2 && (plan->move_gpt_backup || o->new_identity || o->grow_last))
		rc = fix_gpt(target, info, o, &grown);
	else if (info->table_type == 1 && (o->new_identity || o->grow_last))
		rc = fix_mbr(target, info, o, &grown);
	if (rc == 0)
		rc = lb_dev_flush(target);
	if (rc < 0)
		return lb_fail_context(rc, "all data was restored, but updating the partition table failed "
					   "(the image's own table is still valid)");
	return grown.size ? grow_fs(target, info, &grown) : 0;
}
