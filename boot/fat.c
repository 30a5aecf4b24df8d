/* FAT file systems inside image files, without loop devices or mounting:
 * mkfs.vfat (--offset into a disk image, fixed volume id, --invariant for
 * reproducible output), mtools' mcopy through "image@@offset", and the
 * FAT32 backup boot sector kept equal to the one a loader rewrote. */
#include <dirent.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "boot.h"
#include "lifeboat/error.h"
#include "lifeboat/io.h"
#include "../builder/run.h"
#include "../builder/stage.h"

int fat_format(const struct fat_spec *fat)
{
	char bits[8], id[16], offset[32], blocks[32];
	snprintf(bits, sizeof bits, "%d", fat->fat_bits);
	snprintf(id, sizeof id, "%08" PRIx32, fat->volume_id);
	snprintf(offset, sizeof offset, "%" PRIu64, fat->offset / 512);
	snprintf(blocks, sizeof blocks, "%" PRIu64, fat->size / 1024);
	const char *argv[24];
	int n = 0;
	argv[n++] = "mkfs.vfat";
	if (fat->create)
		argv[n++] = "-C";
	if (fat->fat_bits) {
		argv[n++] = "-F";
		argv[n++] = bits;
	}
	if (fat->fat_bits == 32) {
		argv[n++] = "-s";
		argv[n++] = "1";
	}
	argv[n++] = "--invariant";
	argv[n++] = "-i";
	argv[n++] = id;
	argv[n++] = "-n";
	argv[n++] = fat->label;
	if (!fat->create) {
		argv[n++] = "--offset";
		argv[n++] = offset;
		argv[n++] = "--mbr=n";
		argv[n++] = "-I";  /* the disk's own partition table is expected */
	}
	argv[n++] = fat->image;
	argv[n++] = blocks;
	argv[n] = NULL;
	return run_tool(argv, NULL);
}

int fat_copy_tree(const struct fat_spec *fat, const char *src_dir)
{
	DIR *d = opendir(src_dir);
	if (!d)
		return lb_fail_errno(LB_E_IO, "cannot open %s", src_dir);
	char *target = xasprintf("%s@@%" PRIu64, fat->image, fat->offset);
	struct lb_strbuf names;
	lb_strbuf_init(&names);
	struct dirent *e;
	while ((e = readdir(d)))
		if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
			lb_strbuf_printf(&names, "%s\n", e->d_name);
	closedir(d);
	int rc = 0;
	char *save = NULL;
	for (char *name = names.data ? strtok_r(names.data, "\n", &save) : NULL; !rc && name;
	     name = strtok_r(NULL, "\n", &save)) {
		char *src = path_join(src_dir, name);
		rc = run_toolv(NULL, "mcopy", "-i", target, "-s", "-m", "-Q", "-D", "o", src, "::/", NULL);
		free(src);
	}
	lb_strbuf_free(&names);
	free(target);
	return rc;
}

int fat32_copy_boot_sector(const char *image, uint64_t offset)
{
	struct lb_dev *dev;
	unsigned char sector[512];
	int rc = lb_dev_open(image, LB_DEV_WRITE, &dev);
	if (rc)
		return rc;
	rc = lb_dev_read(dev, sector, sizeof sector, offset);
	unsigned backup = sector[50] | sector[51] << 8;  /* BPB_BkBootSec */
	if (!rc && backup > 0 && backup < 32)
		rc = lb_dev_write(dev, sector, sizeof sector, offset + (uint64_t)backup * sizeof sector);
	if (!rc)
		rc = lb_dev_flush(dev);
	lb_dev_close(dev);
	return rc;
}
