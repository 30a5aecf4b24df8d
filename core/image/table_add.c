/* Adds the partition a restore into free space planned to the target's
 * table, after its data was written: the sectors about to change are saved
 * to a backup file first, then the GPT's backup copy is written and flushed
 * before the primary (so one valid copy always describes a whole table),
 * or the MBR sector is rewritten; a logical partition gets its EBR written
 * first, then one sector links it at the end of the chain. The kernel is
 * told of the new partition. */
#include <errno.h>
#include <fcntl.h>
#include <linux/blkpg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/random.h>
#include <unistd.h>
#include <zlib.h>

#include "lifeboat/bytes.h"
#include "lifeboat/disk.h"
#include "lifeboat/error.h"
#include "restore_free.h"

#define GPT_MAX_ENTRIES_BYTES (4u << 20)
#define GUID_BASIC_DATA "EBD0A0A2-B9E5-4433-87C0-68B6B72699C7"
#define GUID_LINUX_FS "0FC63DAF-8483-4772-8E79-3D69D8477DE4"
#define GUID_LINUX_SWAP "0657FD6D-A4AB-43C4-84E5-0933C84B4F4F"
#define GUID_ESP "C12A7328-F81F-11D2-BA4B-00A0C93EC93B"

struct gpt_copy {
	uint8_t *hdr;        /* one sector */
	uint8_t *entries;
	uint64_t lba, entries_lba;
};

struct table {
	unsigned ss;
	uint32_t count, esize;
	size_t entries_len;
	struct gpt_copy primary, backup;
	uint8_t mbr[512];
};

static uint32_t crc(const uint8_t *p, size_t len)
{
	return (uint32_t)crc32(0, p, (uInt)len);
}

static int read_copy(struct lb_dev *t, struct table *tb, uint64_t lba, struct gpt_copy *c)
{
	c->lba = lba;
	c->hdr = malloc(tb->ss);
	if (!c->hdr)
		return lb_fail(LB_E_NOMEM, "out of memory");
	int rc = lb_dev_read(t, c->hdr, tb->ss, lba * tb->ss);
	if (rc < 0)
		return rc;
	if (memcmp(c->hdr, "EFI PART", 8) != 0)
		return lb_fail(LB_E_INVALID, "no GPT header at sector %llu", (unsigned long long)lba);
	c->entries_lba = lb_le64(c->hdr + 72);
	tb->count = lb_le32(c->hdr + 80);
	tb->esize = lb_le32(c->hdr + 84);
	if (tb->esize < 128 || tb->esize > 4096 || (uint64_t)tb->count * tb->esize > GPT_MAX_ENTRIES_BYTES)
		return lb_fail(LB_E_INVALID, "GPT entry array out of range");
	tb->entries_len = (size_t)tb->count * tb->esize;
	if (!(c->entries = malloc(tb->entries_len)))
		return lb_fail(LB_E_NOMEM, "out of memory");
	return lb_dev_read(t, c->entries, tb->entries_len, c->entries_lba * tb->ss);
}

static void free_table(struct table *tb)
{
	free(tb->primary.hdr);
	free(tb->primary.entries);
	free(tb->backup.hdr);
	free(tb->backup.entries);
}

/* Writes len bytes of the target at off to fd. */
static int save_range(struct lb_dev *t, int fd, const char *path, uint64_t off, size_t len)
{
	uint8_t *buf = malloc(len);
	if (!buf)
		return lb_fail(LB_E_NOMEM, "out of memory");
	int rc = lb_dev_read(t, buf, len, off);
	if (rc == 0 && write(fd, buf, len) != (ssize_t)len)
		rc = lb_fail_errno(LB_E_IO, "%s: write", path);
	free(buf);
	return rc;
}

/* The backup file: MBR and primary GPT (sector 0 up to the end of its entry
 * array), then the backup GPT (its entry array up to its header); for an
 * MBR, sector 0 and, when a logical partition is added, the EBR whose
 * entry changes (ebr_lba, 0 for none). */
static int save_backup(struct lb_dev *t, const struct table *tb, const char *path, bool gpt, uint64_t ebr_lba)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0)
		return lb_fail_errno(LB_E_IO, "%s: cannot create the table backup", path);
	uint64_t entry_bytes = (tb->entries_len + tb->ss - 1) / tb->ss * tb->ss;
	int rc = save_range(t, fd, path, 0, gpt ? (size_t)(tb->primary.entries_lba * tb->ss + entry_bytes) : 512);
	if (rc == 0 && gpt)
		rc = save_range(t, fd, path, tb->backup.entries_lba * tb->ss,
				(size_t)((tb->backup.lba + 1 - tb->backup.entries_lba) * tb->ss));
	if (rc == 0 && ebr_lba)
		rc = save_range(t, fd, path, ebr_lba * tb->ss, 512);
	if (rc == 0 && fsync(fd) < 0)
		rc = lb_fail_errno(LB_E_IO, "%s: flush", path);
	close(fd);
	if (rc < 0)
		unlink(path);
	return rc;
}

static void type_guid_for(const struct lb_image_info *info, const struct lb_image_part *p, uint8_t guid[16])
{
	static const uint8_t zero[16];
	if (info->table_type == 2 && memcmp(p->type_guid, zero, 16) != 0) {
		memcpy(guid, p->type_guid, 16);
		return;
	}
	const char *text = GUID_BASIC_DATA;
	if (p->mbr_type == 0xEF)
		text = GUID_ESP;
	else if (strncmp(p->fs, "ext", 3) == 0)
		text = GUID_LINUX_FS;
	else if (strcmp(p->fs, "swap") == 0)
		text = GUID_LINUX_SWAP;
	lb_guid_from_string(text, guid);
}

static uint8_t mbr_type_for(const struct lb_image_info *info, const struct lb_image_part *p)
{
	uint8_t esp[16];
	lb_guid_from_string(GUID_ESP, esp);
	if (info->table_type == 1 && p->mbr_type)
		return p->mbr_type;
	if (memcmp(p->type_guid, esp, 16) == 0)
		return 0xEF;
	if (strncmp(p->fs, "ext", 3) == 0)
		return 0x83;
	if (strcmp(p->fs, "swap") == 0)
		return 0x82;
	return strcmp(p->fs, "vfat") == 0 ? 0x0C : 0x07;
}

/* UTF-8 name into a GPT entry's 36 UTF-16LE units. */
static void put_name(uint8_t *out, const char *name)
{
	const unsigned char *s = (const unsigned char *)name;
	for (unsigned u = 0; *s && u < 36;) {
		uint32_t cp = *s++;
		int more = cp >= 0xF0 ? 3 : cp >= 0xE0 ? 2 : cp >= 0xC0 ? 1 : 0;
		cp &= more == 3 ? 0x07 : more == 2 ? 0x0F : more == 1 ? 0x1F : 0x7F;
		while (more-- > 0 && (*s & 0xC0) == 0x80)
			cp = cp << 6 | (*s++ & 0x3F);
		if (cp > 0xFFFF && u + 1 < 36) {
			lb_put_le16(out + 2 * u++, (uint16_t)(0xD800 + ((cp - 0x10000) >> 10)));
			lb_put_le16(out + 2 * u++, (uint16_t)(0xDC00 + ((cp - 0x10000) & 0x3FF)));
		} else if (cp <= 0xFFFF) {
			lb_put_le16(out + 2 * u++, (uint16_t)cp);
		} else {
			break;
		}
	}
}

/* The source's partition GUID unless asked for a new one or already on the disk. */
static int part_guid_for(const struct table *tb, const struct lb_image_part *p, bool new_identity, uint8_t g[16])
{
	bool taken = false;
	for (uint32_t i = 0; i < tb->count && !taken; i++)
		taken = memcmp(tb->primary.entries + (size_t)i * tb->esize + 16, p->part_guid, 16) == 0;
	static const uint8_t zero[16];
	if (!new_identity && !taken && memcmp(p->part_guid, zero, 16) != 0) {
		memcpy(g, p->part_guid, 16);
		return 0;
	}
	if (getrandom(g, 16, 0) != 16)
		return lb_fail_errno(LB_E_IO, "no random numbers for a partition GUID");
	g[7] = (uint8_t)((g[7] & 0x0F) | 0x40);
	g[8] = (uint8_t)((g[8] & 0x3F) | 0x80);
	return 0;
}

static void seal(struct gpt_copy *c, const uint8_t *entries, size_t len)
{
	lb_put_le32(c->hdr + 88, crc(entries, len));
	uint32_t hsize = lb_le32(c->hdr + 12);
	lb_put_le32(c->hdr + 16, 0);
	lb_put_le32(c->hdr + 16, crc(c->hdr, hsize));
}

static int write_copy(struct lb_dev *t, const struct table *tb, const struct gpt_copy *c, const uint8_t *entries)
{
	int rc = lb_dev_write(t, entries, tb->entries_len, c->entries_lba * tb->ss);
	if (rc == 0)
		rc = lb_dev_write(t, c->hdr, tb->ss, c->lba * tb->ss);
	return rc == 0 ? lb_dev_flush(t) : rc;
}

static int add_gpt(struct lb_dev *t, struct table *tb, const struct lb_image_info *info,
		   const struct lb_restore_opts *o, const struct lb_restore_plan *plan)
{
	const struct lb_image_part *p = &info->parts[plan->part_index];
	int rc = read_copy(t, tb, 1, &tb->primary);
	if (rc == 0)
		rc = read_copy(t, tb, lb_le64(tb->primary.hdr + 32), &tb->backup);
	if (rc == 0 && (plan->new_number < 1 || plan->new_number > tb->count))
		rc = lb_fail(LB_E_INVALID, "GPT entry %u does not exist", plan->new_number);
	if (rc == 0)
		rc = save_backup(t, tb, o->table_backup, true, 0);
	uint8_t *e = rc == 0 ? tb->primary.entries + (size_t)(plan->new_number - 1) * tb->esize : NULL;
	if (rc == 0) {
		memset(e, 0, tb->esize);
		type_guid_for(info, p, e);
		rc = part_guid_for(tb, p, o->new_identity, e + 16);
	}
	if (rc < 0)
		return rc;
	lb_put_le64(e + 32, plan->new_start_lba);
	lb_put_le64(e + 40, plan->new_start_lba + plan->new_size_lba - 1);
	put_name(e + 56, p->name);
	seal(&tb->backup, tb->primary.entries, tb->entries_len);
	seal(&tb->primary, tb->primary.entries, tb->entries_len);
	rc = write_copy(t, tb, &tb->backup, tb->primary.entries);
	return rc == 0 ? write_copy(t, tb, &tb->primary, tb->primary.entries) : rc;
}

static void put_mbr_entry(uint8_t *e, uint8_t type, uint64_t start, uint64_t sectors)
{
	static const uint8_t chs_lba[3] = { 0xFE, 0xFF, 0xFF };   /* "use the LBA fields" */
	memset(e, 0, 16);
	memcpy(e + 1, chs_lba, 3);
	e[4] = type;
	memcpy(e + 5, chs_lba, 3);
	lb_put_le32(e + 8, (uint32_t)start);
	lb_put_le32(e + 12, (uint32_t)sectors);
}

static int add_mbr(struct lb_dev *t, struct table *tb, const struct lb_image_info *info,
		   const struct lb_restore_opts *o, const struct lb_restore_plan *plan)
{
	int rc = lb_dev_read(t, tb->mbr, sizeof tb->mbr, 0);
	if (rc == 0 && (plan->new_number < 1 || plan->new_number > 4 || tb->mbr[446 + 16 * (plan->new_number - 1) + 4]))
		rc = lb_fail(LB_E_INVALID, "MBR entry %u is not free", plan->new_number);
	if (rc == 0)
		rc = save_backup(t, tb, o->table_backup, false, 0);
	if (rc < 0)
		return rc;
	put_mbr_entry(tb->mbr + 446 + 16 * (plan->new_number - 1), mbr_type_for(info, &info->parts[plan->part_index]),
		      plan->new_start_lba, plan->new_size_lba);
	rc = lb_dev_write(t, tb->mbr, sizeof tb->mbr, 0);
	return rc == 0 ? lb_dev_flush(t) : rc;
}

/* A logical partition: its EBR (entry 1 relative to the EBR), written while
 * nothing links to it, then the chain's last EBR linked to it (entry 2,
 * relative to the extended partition); or, in an empty extended partition,
 * entry 1 of its first EBR. Either way one sector write makes it visible. */
static int add_logical(struct lb_dev *t, struct table *tb, const struct lb_image_info *info,
		       const struct lb_restore_opts *o, const struct lb_restore_plan *plan)
{
	uint8_t ebr[512], link[512];
	uint64_t changed = plan->link_ebr_lba ? plan->link_ebr_lba : plan->new_ebr_lba;
	int rc = lb_dev_read(t, link, sizeof link, changed * tb->ss);
	bool signed_ebr = link[510] == 0x55 && link[511] == 0xAA;
	if (rc == 0 && plan->link_ebr_lba && (!signed_ebr || link[446 + 16 + 4] != 0))
		rc = lb_fail(LB_E_INVALID, "the EBR at sector %llu no longer ends the logical partition chain",
			     (unsigned long long)changed);
	if (rc == 0 && !plan->link_ebr_lba && signed_ebr && link[446 + 4] != 0)
		rc = lb_fail(LB_E_INVALID, "the extended partition's first EBR is no longer empty");
	if (rc == 0)
		rc = save_backup(t, tb, o->table_backup, false, changed);
	if (rc < 0)
		return rc;
	uint64_t end = plan->new_start_lba + plan->new_size_lba;
	uint8_t type = mbr_type_for(info, &info->parts[plan->part_index]);
	if (!plan->link_ebr_lba) {
		if (!signed_ebr)
			memset(link, 0, sizeof link);
		put_mbr_entry(link + 446, type, plan->new_start_lba - plan->new_ebr_lba, plan->new_size_lba);
		link[510] = 0x55;
		link[511] = 0xAA;
		rc = lb_dev_write(t, link, sizeof link, changed * tb->ss);
		return rc == 0 ? lb_dev_flush(t) : rc;
	}
	memset(ebr, 0, sizeof ebr);
	put_mbr_entry(ebr + 446, type, plan->new_start_lba - plan->new_ebr_lba, plan->new_size_lba);
	ebr[510] = 0x55;
	ebr[511] = 0xAA;
	rc = lb_dev_write(t, ebr, sizeof ebr, plan->new_ebr_lba * tb->ss);
	if (rc == 0)
		rc = lb_dev_flush(t);
	if (rc == 0) {
		put_mbr_entry(link + 446 + 16, 0x05, plan->new_ebr_lba - plan->extended_lba, end - plan->new_ebr_lba);
		rc = lb_dev_write(t, link, sizeof link, changed * tb->ss);
	}
	return rc == 0 ? lb_dev_flush(t) : rc;
}

/* Tells the kernel about the new partition alone (as partx -a does): the
 * disk's other partitions may stay in use. */
static int tell_kernel(struct lb_dev *t, const struct lb_restore_plan *plan)
{
	if (!t->is_block_device)
		return 0;
	struct blkpg_partition part = { .start = (long long)(plan->new_start_lba * plan->new_sector_size),
					.length = (long long)(plan->new_size_lba * plan->new_sector_size),
					.pno = (int)plan->new_number };
	struct blkpg_ioctl_arg arg = { .op = BLKPG_ADD_PARTITION, .datalen = sizeof part, .data = &part };
	if (ioctl(t->fd, BLKPG, &arg) < 0)
		lb_warn("%s: the kernel was not told about partition %u (%s); run partx -a or reboot", t->path,
			plan->new_number, strerror(errno));
	return 0;
}

int lbi_table_add(struct lb_dev *target, const struct lb_image_info *info, const struct lb_restore_opts *o,
		  const struct lb_restore_plan *plan)
{
	if (!o->table_backup)
		return lb_fail(LB_E_USAGE, "a file for the backup of the partition table is needed");
	struct table tb = { .ss = plan->new_sector_size };
	int rc = plan->new_table_type == 2 ? add_gpt(target, &tb, info, o, plan)
		 : plan->new_logical	    ? add_logical(target, &tb, info, o, plan)
					    : add_mbr(target, &tb, info, o, plan);
	free_table(&tb);
	if (rc < 0)
		return lb_fail_context(rc, "%s: adding partition %u to the table", target->path, plan->new_number);
	return tell_kernel(target, plan);
}
