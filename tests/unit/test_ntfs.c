/* Unit tests for the libntfs-3g adapter: a volume made by mkntfs is opened
 * through lb_dev (read-write and read-only, whole file and as a partition
 * slice), a file is written through it, and ntfsfix and ntfscat, which know
 * nothing of lifeboat, judge the result. Skipped without ntfs-3g's tools. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lifeboat/ntfs.h"
#include "lifeboat/disk.h"
#include "lifeboat/error.h"

#include <ntfs-3g/attrib.h>
#include <ntfs-3g/dir.h>
#include <ntfs-3g/unistr.h>

#define HIVE_TEXT "regf: a stand-in for the SYSTEM hive\n"
#define VOLUME_OFFSET (1024 * 1024)

static char image[64];

/* libntfs-3g 2022.10.3 keeps one inode allocated by ntfs_create() past
 * ntfs_umount(); only this test creates files, so only that is ignored.
 * libntfs-3g has no frame pointers: the slow unwinder finds the caller. */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
	return "leak:ntfs_create\n";
}

const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
	return "fast_unwind_on_malloc=0";
}

static int run(const char *fmt, const char *arg)
{
	char cmd[1024];
	snprintf(cmd, sizeof cmd, fmt, arg);
	return system(cmd);
}

/* A disk image with a 16 MiB NTFS volume 1 MiB in. */
static int make_volume(void **state)
{
	(void)state;
	if (run("command -v %s >/dev/null", "mkntfs") != 0)
		return 0;
	strcpy(image, "/tmp/lifeboat-ntfs-XXXXXX");
	int fd = mkstemp(image);
	if (fd < 0 || ftruncate(fd, 17 * 1024 * 1024) < 0)
		return -1;
	close(fd);
	char cmd[1024];
	snprintf(cmd, sizeof cmd, "truncate -s 16M %s.vol && mkntfs -F -Q -L Test %s.vol >/dev/null 2>&1 && "
		 "dd if=%s.vol of=%s bs=1M seek=1 conv=notrunc,sparse status=none && rm %s.vol",
		 image, image, image, image, image);
	return system(cmd) == 0 ? 0 : -1;
}

static int remove_volume(void **state)
{
	(void)state;
	if (image[0])
		unlink(image);
	return 0;
}

static ntfs_inode *create(ntfs_inode *dir, const char *name, mode_t type)
{
	ntfschar *uname = NULL;
	int len = ntfs_mbstoucs(name, &uname);
	assert_true(len > 0);
	ntfs_inode *ni = ntfs_create(dir, 0, uname, (u8)len, type);
	free(uname);
	assert_non_null(ni);
	return ni;
}

/* Creates file name in dir holding len bytes of data. */
static void create_file(ntfs_inode *dir, const char *name, const void *data, s64 len)
{
	ntfs_inode *file = create(dir, name, S_IFREG);
	ntfs_attr *na = ntfs_attr_open(file, AT_DATA, AT_UNNAMED, 0);
	assert_non_null(na);
	assert_int_equal(ntfs_attr_pwrite(na, 0, len, data), len);
	ntfs_attr_close(na);
	ntfs_inode_close(file);
}

/* Mounts the volume of dev for writing and opens its root directory. */
static ntfs_inode *mount_root(struct lb_dev *dev, ntfs_volume **vol)
{
	assert_int_equal(lb_ntfs_mount(dev, true, vol), 0);
	ntfs_inode *root = ntfs_inode_open(*vol, FILE_root);
	assert_non_null(root);
	return root;
}

static struct lb_dev *open_volume(int flags)
{
	struct lb_dev *disk, *slice;
	assert_int_equal(lb_dev_open(image, flags, &disk), 0);
	assert_int_equal(lb_dev_open_slice(disk, VOLUME_OFFSET, 16 * 1024 * 1024, "volume", &slice), 0);
	lb_dev_slice_own_parent(slice);
	return slice;
}

static void write_then_judge(void **state)
{
	(void)state;
	if (!image[0])
		skip();
	struct lb_dev *dev = open_volume(LB_DEV_WRITE);
	ntfs_volume *vol;
	ntfs_inode *dir = mount_root(dev, &vol);
	assert_string_equal(vol->vol_name, "Test");
	const char *parts[] = { "Windows", "System32", "config" };
	for (int i = 0; i < 3; i++) {
		ntfs_inode *child = create(dir, parts[i], S_IFDIR);
		ntfs_inode_close(dir);
		dir = child;
	}
	create_file(dir, "SYSTEM", HIVE_TEXT, sizeof HIVE_TEXT - 1);
	ntfs_inode_close(dir);
	assert_int_equal(lb_ntfs_umount(vol), 0);
	lb_dev_close(dev);

	char cmd[1024];
	snprintf(cmd, sizeof cmd, "dd if=%s of=%s.vol bs=1M skip=1 status=none && ntfsfix -n %s.vol >/dev/null 2>&1 && "
		 "ntfscat %s.vol Windows/System32/config/SYSTEM > %s.cat; rc=$?; rm -f %s.vol; exit $rc",
		 image, image, image, image, image, image);
	assert_int_equal(system(cmd), 0);
	snprintf(cmd, sizeof cmd, "%s.cat", image);
	FILE *f = fopen(cmd, "r");
	char text[128] = "";
	assert_non_null(f);
	assert_non_null(fgets(text, sizeof text, f));
	fclose(f);
	unlink(cmd);
	assert_string_equal(text, HIVE_TEXT);
}

static void read_only_lookup_ignores_case(void **state)
{
	(void)state;
	if (!image[0])
		skip();
	struct lb_dev *dev = open_volume(LB_DEV_READ);
	ntfs_volume *vol;
	assert_int_equal(lb_ntfs_mount(dev, true, &vol), LB_E_USAGE);
	assert_int_equal(lb_ntfs_mount(dev, false, &vol), 0);
	ntfs_inode *ni;
	assert_int_equal(lb_ntfs_open_path(vol, "windows\\SYSTEM32\\Config/system", &ni), 0);
	ntfs_attr *na = ntfs_attr_open(ni, AT_DATA, AT_UNNAMED, 0);
	char text[128] = "";
	assert_int_equal(ntfs_attr_pread(na, 0, sizeof text, text), sizeof HIVE_TEXT - 1);
	assert_string_equal(text, HIVE_TEXT);
	ntfs_attr_close(na);
	ntfs_inode_close(ni);
	assert_int_equal(lb_ntfs_open_path(vol, "Windows/System32/config/SOFTWARE", &ni), LB_E_NOTFOUND);
	assert_string_equal(lb_error_message(), "Windows/System32/config/SOFTWARE: not found on the NTFS volume");
	assert_int_equal(lb_ntfs_umount(vol), 0);

	struct lb_fs_info fs;
	assert_int_equal(lb_fs_probe(dev, &fs), 0);
	assert_int_equal(fs.type, LB_FS_NTFS);
	assert_string_equal(fs.label, "Test");
	assert_true(fs.windows_present);
	lb_dev_close(dev);
}

/* A hiberfil.sys that starts with "hibr": Windows is hibernated, so the
 * volume opens for reading only. */
static void hibernated_windows_is_read_only(void **state)
{
	(void)state;
	if (!image[0])
		skip();
	struct lb_dev *dev = open_volume(LB_DEV_WRITE);
	ntfs_volume *vol;
	ntfs_inode *root = mount_root(dev, &vol);
	static const char header[8192] = "hibr";
	create_file(root, "hiberfil.sys", header, sizeof header);
	ntfs_inode_close(root);
	assert_int_equal(lb_ntfs_umount(vol), 0);

	assert_int_equal(lb_ntfs_mount(dev, true, &vol), LB_E_REFUSED);
	assert_non_null(strstr(lb_error_message(), "volume: cannot open the NTFS volume for writing: Windows is hibernated"));
	assert_int_equal(lb_ntfs_mount(dev, false, &vol), 0);
	assert_int_equal(lb_ntfs_umount(vol), 0);
	lb_dev_close(dev);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(write_then_judge),
		cmocka_unit_test(read_only_lookup_ignores_case),
		cmocka_unit_test(hibernated_windows_is_read_only),
	};
	return cmocka_run_group_tests(tests, make_volume, remove_volume);
}
