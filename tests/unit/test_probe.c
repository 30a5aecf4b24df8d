/* Unit tests for the file system probes: superblocks and boot sectors
 * built in memory, checked for type, label and UUID in blkid's format. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "disk_image.h"
#include "lifeboat/error.h"

#define MiB (1024 * 1024)

static const uint8_t uuid_bytes[16] = {
	0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef, 0x10, 0x32, 0x54, 0x76, 0x98, 0xba, 0xdc, 0xfe,
};

static void probe(struct image *img, struct lb_fs_info *fs)
{
	struct lb_dev *dev = image_open(img);
	assert_int_equal(lb_fs_probe(dev, fs), 0);
	lb_dev_close(dev);
	image_free(img);
}

static void build_ext(struct image *img, uint32_t compat, uint32_t incompat, uint32_t ro_compat)
{
	image_init(img, MiB, 512);
	uint8_t *sb = img->data + 1024;
	lb_put_le32(sb + 0x04, 1024);
	lb_put_le32(sb + 0x18, 0);
	lb_put_le16(sb + 0x38, 0xEF53);
	lb_put_le32(sb + 0x5C, compat);
	lb_put_le32(sb + 0x60, incompat);
	lb_put_le32(sb + 0x64, ro_compat);
	memcpy(sb + 0x68, uuid_bytes, 16);
	memcpy(sb + 0x78, "rootfs", 6);
}

static void ext_variants_by_features(void **state)
{
	(void)state;
	struct image img;
	struct lb_fs_info fs;
	build_ext(&img, 0, 0x2, 0x3);
	probe(&img, &fs);
	assert_int_equal(fs.type, LB_FS_EXT2);
	build_ext(&img, 0x4, 0x2, 0x3);
	probe(&img, &fs);
	assert_int_equal(fs.type, LB_FS_EXT3);
	build_ext(&img, 0x4, 0x2 | 0x40 | 0x200, 0x3);   /* extents, flex_bg */
	probe(&img, &fs);
	assert_int_equal(fs.type, LB_FS_EXT4);
	assert_string_equal(lb_fs_type_name(fs.type), "ext4");
	assert_string_equal(fs.uuid, "01234567-89ab-cdef-1032-547698badcfe");
	assert_string_equal(fs.label, "rootfs");
	assert_int_equal(fs.size_bytes, MiB);
	build_ext(&img, 0x4, 0x8, 0);   /* an external journal, not a file system */
	probe(&img, &fs);
	assert_int_equal(fs.type, LB_FS_UNKNOWN);
}

/* A FAT16 volume: 4 reserved sectors, 2 FATs of 32 sectors, 512 root entries. */
static void fat16_label_from_root_directory(void **state)
{
	(void)state;
	struct image img;
	struct lb_fs_info fs;
	image_init(&img, 16 * MiB, 512);
	uint8_t *b = img.data;
	b[0] = 0xEB;
	lb_put_le16(b + 11, 512);
	b[13] = 4;
	lb_put_le16(b + 14, 4);
	b[16] = 2;
	lb_put_le16(b + 17, 512);
	lb_put_le16(b + 19, 32768);
	b[21] = 0xF8;
	lb_put_le16(b + 22, 32);
	b[0x26] = 0x29;
	memcpy(b + 0x27, "\xaf\x84\x50\x8e", 4);
	memcpy(b + 0x2B, "STALE      ", 11);
	b[510] = 0x55;
	b[511] = 0xAA;
	uint8_t *root = img.data + (4 + 2 * 32) * 512;
	memcpy(root, "RESCUE     ", 11);
	root[11] = 0x08;
	probe(&img, &fs);
	assert_int_equal(fs.type, LB_FS_FAT16);
	assert_string_equal(lb_fs_type_name(fs.type), "vfat");
	assert_string_equal(lb_fs_type_version(fs.type), "FAT16");
	assert_string_equal(fs.uuid, "8E50-84AF");
	assert_string_equal(fs.label, "RESCUE");
	assert_int_equal(fs.block_size, 2048);
}

static void exfat_label_and_serial(void **state)
{
	(void)state;
	struct image img;
	struct lb_fs_info fs;
	image_init(&img, 4 * MiB, 512);
	uint8_t *b = img.data;
	memcpy(b + 3, "EXFAT   ", 8);
	lb_put_le64(b + 72, 8192);
	lb_put_le32(b + 80, 128);     /* FAT at sector 128 */
	lb_put_le32(b + 88, 256);     /* cluster heap at sector 256 */
	lb_put_le32(b + 92, 900);
	lb_put_le32(b + 96, 4);       /* root directory in cluster 4 */
	memcpy(b + 100, "\x78\x56\x34\x12", 4);
	b[108] = 9;
	b[109] = 3;                   /* 4 KiB clusters */
	uint8_t *root = img.data + 256 * 512 + 2 * 4096;
	root[0] = 0x81;               /* allocation bitmap entry first */
	root[32] = 0x83;
	root[33] = 4;
	memcpy(root + 34, "D\0a\0t\0a\0", 8);
	lb_put_le32(img.data + 128 * 512 + 4 * 4, 0xFFFFFFFF);
	probe(&img, &fs);
	assert_int_equal(fs.type, LB_FS_EXFAT);
	assert_string_equal(fs.uuid, "1234-5678");
	assert_string_equal(fs.label, "Data");
	assert_int_equal(fs.size_bytes, 8192 * 512);
}

static void swap_uuid_and_label(void **state)
{
	(void)state;
	struct image img;
	struct lb_fs_info fs;
	image_init(&img, MiB, 512);
	memcpy(img.data + 4096 - 10, "SWAPSPACE2", 10);
	lb_put_le32(img.data + 1024, 1);
	lb_put_le32(img.data + 1028, 255);
	memcpy(img.data + 1036, uuid_bytes, 16);
	memcpy(img.data + 1052, "swap0", 5);
	probe(&img, &fs);
	assert_int_equal(fs.type, LB_FS_SWAP);
	assert_string_equal(fs.uuid, "01234567-89ab-cdef-1032-547698badcfe");
	assert_string_equal(fs.label, "swap0");
	assert_int_equal(fs.size_bytes, MiB);
}

static void luks2_header(void **state)
{
	(void)state;
	struct image img;
	struct lb_fs_info fs;
	image_init(&img, MiB, 512);
	memcpy(img.data, "LUKS\xba\xbe\x00\x02", 8);
	memcpy(img.data + 24, "vault", 5);
	memcpy(img.data + 168, "5b3c0b3e-8d7a-4f2b-9a53-0c8f2f1a7e11", 36);
	probe(&img, &fs);
	assert_int_equal(fs.type, LB_FS_LUKS);
	assert_string_equal(lb_fs_type_name(fs.type), "crypto_LUKS");
	assert_string_equal(fs.uuid, "5b3c0b3e-8d7a-4f2b-9a53-0c8f2f1a7e11");
	assert_string_equal(fs.label, "vault");
}

static void bitlocker_boot_sector(void **state)
{
	(void)state;
	struct image img;
	struct lb_fs_info fs;
	image_init(&img, MiB, 512);
	img.data[0] = 0xEB;
	memcpy(img.data + 3, "-FVE-FS-", 8);
	img.data[510] = 0x55;
	img.data[511] = 0xAA;
	probe(&img, &fs);
	assert_int_equal(fs.type, LB_FS_BITLOCKER);
	assert_string_equal(fs.uuid, "");
}

static void iso9660_label_and_date_uuid(void **state)
{
	(void)state;
	struct image img;
	struct lb_fs_info fs;
	image_init(&img, MiB, 512);
	uint8_t *pvd = img.data + 32768;
	pvd[0] = 1;
	memcpy(pvd + 1, "CD001", 5);
	memset(pvd + 40, ' ', 32);
	memcpy(pvd + 40, "LIFEBOAT", 8);
	lb_put_le32(pvd + 80, 512);
	lb_put_le16(pvd + 128, 2048);
	memcpy(pvd + 813, "2026112212000000", 16);
	memcpy(pvd + 830, "0000000000000000", 16);
	probe(&img, &fs);
	assert_int_equal(fs.type, LB_FS_ISO9660);
	assert_string_equal(fs.label, "LIFEBOAT");
	assert_string_equal(fs.uuid, "2026-11-22-12-00-00-00");
	assert_int_equal(fs.size_bytes, MiB);
}

/* An NTFS boot sector (and nothing behind it) with the given
 * sectors-per-cluster byte. */
static void build_ntfs_boot_sector(struct image *img, uint8_t sectors_per_cluster)
{
	image_init(img, MiB, 512);
	uint8_t *b = img->data;
	memcpy(b + 3, "NTFS    ", 8);
	lb_put_le16(b + 11, 512);
	b[13] = sectors_per_cluster;
	lb_put_le64(b + 0x28, 2047);
	lb_put_le64(b + 0x48, 0x1A59AF47258DCC02ull);
	b[510] = 0x55;
	b[511] = 0xAA;
}

static void ntfs_boot_sector_without_volume(void **state)
{
	(void)state;
	struct image img;
	struct lb_fs_info fs;
	build_ntfs_boot_sector(&img, 8);
	probe(&img, &fs);
	assert_int_equal(fs.type, LB_FS_NTFS);
	assert_string_equal(fs.uuid, "1A59AF47258DCC02");
	assert_int_equal(fs.block_size, 4096);
	assert_false(fs.windows_present);
	char **w;
	int n = lb_warnings_take(&w);
	assert_int_equal(n, 1);   /* the volume behind the boot sector is missing */
	assert_non_null(strstr(w[0], "cannot open the NTFS volume"));
	lb_warnings_free(w, n);
}

/* Above 0x80 the cluster field is 2^(256 - value) sectors; absurd
 * exponents are not NTFS. */
static void ntfs_cluster_size_encodings(void **state)
{
	(void)state;
	struct image img;
	struct lb_fs_info fs;
	build_ntfs_boot_sector(&img, 0xF9);
	probe(&img, &fs);
	assert_int_equal(fs.type, LB_FS_NTFS);
	assert_int_equal(fs.block_size, 128 * 512);
	build_ntfs_boot_sector(&img, 0x81);
	probe(&img, &fs);
	assert_int_equal(fs.type, LB_FS_UNKNOWN);
	char **w;
	int n = lb_warnings_take(&w);
	if (n > 0)
		lb_warnings_free(w, n);
}

static void blank_device_is_unknown(void **state)
{
	(void)state;
	struct image img;
	struct lb_fs_info fs;
	image_init(&img, 4096, 512);
	probe(&img, &fs);
	assert_int_equal(fs.type, LB_FS_UNKNOWN);
	assert_null(lb_fs_type_name(fs.type));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(ext_variants_by_features),
		cmocka_unit_test(fat16_label_from_root_directory),
		cmocka_unit_test(exfat_label_and_serial),
		cmocka_unit_test(swap_uuid_and_label),
		cmocka_unit_test(luks2_header),
		cmocka_unit_test(bitlocker_boot_sector),
		cmocka_unit_test(iso9660_label_and_date_uuid),
		cmocka_unit_test(ntfs_boot_sector_without_volume),
		cmocka_unit_test(ntfs_cluster_size_encodings),
		cmocka_unit_test(blank_device_is_unknown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
