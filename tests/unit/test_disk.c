/* Unit tests for core/disk's table readers: MBR with a logical chain, GPT
 * with its CRCs and backup, 4096-byte sectors, hybrid MBRs, and the bad
 * tables that must fail with a message naming the image. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "disk_image.h"
#include "lifeboat/error.h"

#define MiB (1024 * 1024)
#define LINUX_FS "0FC63DAF-8483-4772-8E79-3D69D8477DE4"
#define EFI_SYSTEM "C12A7328-F81F-11D2-BA4B-00A0C93EC93B"

/* Reads the image; returns the disk or NULL (and the error code in *rc). */
static struct lb_disk *read_image(struct image *img, int *rc)
{
	struct lb_dev *dev = image_open(img);
	struct lb_disk *disk = NULL;
	*rc = lb_disk_read(dev, &disk);
	lb_dev_close(dev);
	return disk;
}

/* Asserts that reading fails and the message names the image and says why. */
static void expect_error(struct image *img, const char *why)
{
	int rc;
	struct lb_disk *disk = read_image(img, &rc);
	assert_null(disk);
	assert_true(rc < 0);
	assert_non_null(strstr(lb_error_message(), img->path));
	if (!strstr(lb_error_message(), why))
		fail_msg("message [%s] lacks [%s]", lb_error_message(), why);
}

/* Number of pending warnings containing text; all are discarded. */
static int warnings_containing(const char *text)
{
	char **w;
	int n = lb_warnings_take(&w), hits = 0;
	for (int i = 0; i < n; i++)
		hits += strstr(w[i], text) != NULL;
	if (n > 0)
		lb_warnings_free(w, n);
	return hits;
}

/* 1: primary, 2: extended holding logical partitions 5 and 6. */
static void build_mbr_with_logicals(struct image *img)
{
	image_init(img, 8 * MiB, 512);
	uint8_t *mbr = image_sector(img, 0);
	lb_put_le32(mbr + 440, 0x1234abcd);
	mbr_set(mbr, 0, 0x80, 0x83, 2048, 4096);
	mbr_set(mbr, 1, 0, 0x05, 6144, 8192);
	mbr_set(image_sector(img, 6144), 0, 0, 0x83, 2048, 2048);
	mbr_set(image_sector(img, 6144), 1, 0, 0x05, 4096, 4096);
	mbr_set(image_sector(img, 6144 + 4096), 0, 0, 0x82, 2048, 2048);
}

static void mbr_logical_partitions(void **state)
{
	(void)state;
	struct image img;
	build_mbr_with_logicals(&img);
	int rc;
	struct lb_disk *disk = read_image(&img, &rc);
	assert_int_equal(rc, 0);
	assert_int_equal(disk->table, LB_TABLE_MBR);
	assert_int_equal(disk->mbr_signature, 0x1234abcd);
	assert_int_equal(disk->partition_count, 4);
	const unsigned numbers[] = { 1, 2, 5, 6 };
	const uint64_t starts[] = { 2048, 6144, 8192, 12288 };
	for (unsigned i = 0; i < 4; i++) {
		assert_int_equal(disk->partitions[i].number, numbers[i]);
		assert_int_equal(disk->partitions[i].start_lba, starts[i]);
	}
	assert_true(disk->partitions[0].bootable);
	assert_true(disk->partitions[1].is_extended);
	assert_true(disk->partitions[2].is_logical);
	assert_int_equal(disk->partitions[3].mbr_type, 0x82);
	assert_string_equal(lb_partition_type_name(disk, &disk->partitions[3]), "Linux swap / Solaris");
	lb_disk_free(disk);
	image_free(&img);
}

static void mbr_loop_in_extended_chain(void **state)
{
	(void)state;
	struct image img;
	build_mbr_with_logicals(&img);
	/* The second EBR links back to the first. */
	mbr_set(image_sector(&img, 6144 + 4096), 1, 0, 0x05, 0, 4096);
	expect_error(&img, "loop in the extended partition chain");
	image_free(&img);
}

static void mbr_overlapping_partitions(void **state)
{
	(void)state;
	struct image img;
	image_init(&img, 8 * MiB, 512);
	mbr_set(image_sector(&img, 0), 0, 0, 0x83, 2048, 4096);
	mbr_set(image_sector(&img, 0), 2, 0, 0x83, 4096, 4096);
	expect_error(&img, "partitions 1 and 3 overlap");
	image_free(&img);
}

static void mbr_partition_beyond_end(void **state)
{
	(void)state;
	struct image img;
	image_init(&img, 8 * MiB, 512);
	mbr_set(image_sector(&img, 0), 0, 0, 0x83, 2048, 40960);
	expect_error(&img, "the disk is smaller than its partition table claims");
	image_free(&img);
}

static void truncated_image(void **state)
{
	(void)state;
	struct image img;
	image_init(&img, 300, 512);
	expect_error(&img, "truncated");
	image_free(&img);
}

static const struct gpt_part two_parts[] = {
	{ EFI_SYSTEM, 2048, 4095, "EFI", 0 },
	{ LINUX_FS, 4096, 8191, "root", (1ull << 63) | 1 },
};

static void gpt_read_with_names(void **state)
{
	(void)state;
	struct image img;
	image_init(&img, 8 * MiB, 512);
	gpt_write(&img, two_parts, 2);
	int rc;
	struct lb_disk *disk = read_image(&img, &rc);
	assert_int_equal(rc, 0);
	assert_int_equal(disk->table, LB_TABLE_GPT);
	assert_false(disk->hybrid_mbr);
	assert_false(disk->gpt_used_backup);
	assert_int_equal(disk->partition_count, 2);
	assert_string_equal(disk->partitions[0].name, "EFI");
	assert_string_equal(disk->partitions[1].name, "root");
	assert_int_equal(disk->partitions[1].size_lba, 4096);
	assert_int_equal(disk->partitions[1].attributes, (1ull << 63) | 1);
	assert_string_equal(lb_partition_type_name(disk, &disk->partitions[0]), "EFI System");
	char guid[37];
	lb_guid_to_string(disk->partitions[1].type_guid, guid);
	assert_string_equal(guid, LINUX_FS);
	assert_int_equal(warnings_containing(""), 0);
	lb_disk_free(disk);
	image_free(&img);
}

static void gpt_damaged_primary_uses_backup(void **state)
{
	(void)state;
	struct image img;
	image_init(&img, 8 * MiB, 512);
	gpt_write(&img, two_parts, 2);
	image_sector(&img, 1)[60] ^= 0xFF;   /* breaks the header CRC */
	int rc;
	struct lb_disk *disk = read_image(&img, &rc);
	assert_int_equal(rc, 0);
	assert_true(disk->gpt_used_backup);
	assert_int_equal(disk->partition_count, 2);
	assert_int_equal(disk->partitions[1].start_lba, 4096);
	assert_int_equal(warnings_containing("primary GPT header damaged, using the backup"), 1);
	lb_disk_free(disk);
	image_free(&img);
}

static void gpt_both_copies_damaged(void **state)
{
	(void)state;
	struct image img;
	image_init(&img, 8 * MiB, 512);
	gpt_write(&img, two_parts, 2);
	image_sector(&img, 2)[40] ^= 0xFF;    /* primary entry array */
	image_sector(&img, img.size / 512 - 1)[60] ^= 0xFF;   /* backup header */
	expect_error(&img, "both GPT copies are damaged (primary: partition entry array CRC mismatch; backup: header CRC mismatch)");
	warnings_containing("");
	image_free(&img);
}

static void gpt_disk_smaller_than_table(void **state)
{
	(void)state;
	struct image img;
	image_init(&img, 8 * MiB, 512);
	gpt_write(&img, two_parts, 2);
	img.size = 4 * MiB;   /* the file is cut in half */
	expect_error(&img, "the disk is smaller than its partition table claims");
	image_free(&img);
}

static void gpt_overlap(void **state)
{
	(void)state;
	struct image img;
	image_init(&img, 8 * MiB, 512);
	const struct gpt_part parts[] = {
		{ LINUX_FS, 2048, 6000, "a", 0 },
		{ LINUX_FS, 4096, 8191, "b", 0 },
	};
	gpt_write(&img, parts, 2);
	expect_error(&img, "partitions 1 and 2 overlap (sectors 2048-6000 and 4096-8191)");
	image_free(&img);
}

static void gpt_4096_byte_sectors(void **state)
{
	(void)state;
	struct image img;
	image_init(&img, 8 * MiB, 4096);
	const struct gpt_part parts[] = { { LINUX_FS, 256, 1023, "four-k", 0 } };
	gpt_write(&img, parts, 1);
	int rc;
	struct lb_disk *disk = read_image(&img, &rc);
	assert_int_equal(rc, 0);
	assert_int_equal(disk->sector_size, 4096);
	assert_int_equal(disk->partitions[0].start_bytes, 256 * 4096);
	assert_int_equal(disk->partitions[0].size_bytes, 768 * 4096);
	lb_disk_free(disk);
	/* Primary gone: the backup in the last 4096-byte sector still tells. */
	memset(image_sector(&img, 1), 0, 4096);
	disk = read_image(&img, &rc);
	assert_int_equal(rc, 0);
	assert_int_equal(disk->sector_size, 4096);
	assert_true(disk->gpt_used_backup);
	assert_int_equal(warnings_containing("using the backup"), 1);
	lb_disk_free(disk);
	image_free(&img);
}

static void gpt_hybrid_mbr(void **state)
{
	(void)state;
	struct image img;
	image_init(&img, 8 * MiB, 512);
	gpt_write(&img, two_parts, 2);
	mbr_set(image_sector(&img, 0), 1, 0x80, 0x83, 4096, 4096);
	int rc;
	struct lb_disk *disk = read_image(&img, &rc);
	assert_int_equal(rc, 0);
	assert_int_equal(disk->table, LB_TABLE_GPT);
	assert_true(disk->hybrid_mbr);
	assert_int_equal(disk->partition_count, 2);
	lb_disk_free(disk);
	image_free(&img);
}

static void open_spec_partition(void **state)
{
	(void)state;
	struct image img;
	image_init(&img, 8 * MiB, 512);
	gpt_write(&img, two_parts, 2);
	lb_dev_close(image_open(&img));
	char spec[80];
	snprintf(spec, sizeof spec, "%s:2", img.path);
	struct lb_dev *part;
	assert_int_equal(lb_dev_open_spec(spec, LB_DEV_READ, &part), 0);
	assert_int_equal(part->offset, 4096 * 512);
	assert_int_equal(part->size, 4096 * 512);
	assert_string_equal(part->path, spec);
	lb_dev_close(part);   /* closes the disk too (ASan checks) */
	snprintf(spec, sizeof spec, "%s:7", img.path);
	assert_int_equal(lb_dev_open_spec(spec, LB_DEV_READ, &part), LB_E_NOTFOUND);
	assert_non_null(strstr(lb_error_message(), "no partition 7"));
	assert_int_equal(lb_dev_open_spec(img.path, LB_DEV_READ, &part), 0);
	assert_null(part->parent);
	lb_dev_close(part);
	image_free(&img);
}

static void guid_text_round_trip(void **state)
{
	(void)state;
	uint8_t guid[16];
	char text[37];
	assert_int_equal(lb_guid_from_string("ebd0a0a2-b9e5-4433-87c0-68b6b72699c7", guid), 0);
	assert_int_equal(guid[0], 0xA2);
	assert_int_equal(guid[8], 0x87);
	lb_guid_to_string(guid, text);
	assert_string_equal(text, "EBD0A0A2-B9E5-4433-87C0-68B6B72699C7");
	assert_int_equal(lb_guid_from_string("EBD0A0A2-B9E5-4433-87C0-68B6B72699CZ", guid), LB_E_INVALID);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(mbr_logical_partitions),
		cmocka_unit_test(mbr_loop_in_extended_chain),
		cmocka_unit_test(mbr_overlapping_partitions),
		cmocka_unit_test(mbr_partition_beyond_end),
		cmocka_unit_test(truncated_image),
		cmocka_unit_test(gpt_read_with_names),
		cmocka_unit_test(gpt_damaged_primary_uses_backup),
		cmocka_unit_test(gpt_both_copies_damaged),
		cmocka_unit_test(gpt_disk_smaller_than_table),
		cmocka_unit_test(gpt_overlap),
		cmocka_unit_test(gpt_4096_byte_sectors),
		cmocka_unit_test(gpt_hybrid_mbr),
		cmocka_unit_test(open_spec_partition),
		cmocka_unit_test(guid_text_round_trip),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
