/* lb_dev backend for Linux block devices: size and sector sizes from ioctls,
 * model and serial from sysfs, discard with BLKDISCARD. */
#include "dev_backends.h"
#include "lifeboat/error.h"

#include <linux/fs.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/sysmacros.h>

static int block_discard(struct lb_dev *dev, uint64_t off, uint64_t len)
{
	uint64_t range[2] = { off, len };
	if (ioctl(dev->fd, BLKDISCARD, range) < 0)
		return lb_fail_errno(LB_E_IO, "%s: discard at offset %llu", dev->path, (unsigned long long)off);
	return 0;
}

/* Reads one line of /sys/dev/block/MAJ:MIN/<rel> (or of the whole disk for
 * a partition, through ../) into out, trimmed; "" when absent. */
static void read_sysfs_attr(dev_t devno, const char *rel, char *out, size_t outlen)
{
	const char *prefixes[] = { "", "../" };
	out[0] = '\0';
	for (size_t i = 0; i < 2; i++) {
		char path[256];
		snprintf(path, sizeof path, "/sys/dev/block/%u:%u/%s%s", major(devno), minor(devno), prefixes[i], rel);
		FILE *f = fopen(path, "re");
		if (!f)
			continue;
		if (fgets(out, (int)outlen, f)) {
			size_t n = strlen(out);
			while (n > 0 && (out[n - 1] == '\n' || out[n - 1] == ' '))
				out[--n] = '\0';
		}
		fclose(f);
		return;
	}
}

static bool block_can_discard(struct lb_dev *dev)
{
	char max[32];
	read_sysfs_attr(dev->devno, "queue/discard_max_bytes", max, sizeof max);
	return max[0] && strcmp(max, "0") != 0;
}

static const struct lb_dev_ops block_ops = {
	.kind = "block device",
	.read_at = lb_fd_read_at,
	.write_at = lb_fd_write_at,
	.flush = lb_fd_flush,
	.discard = block_discard,
	.can_discard = block_can_discard,
};

int lb_blockdev_init(struct lb_dev *dev, const struct stat *st)
{
	int lss = 512;
	unsigned int pss = 512;
	dev->ops = &block_ops;
	dev->is_block_device = true;
	dev->devno = st->st_rdev;
	if (ioctl(dev->fd, BLKGETSIZE64, &dev->size) < 0)
		return lb_fail_errno(LB_E_IO, "%s: cannot read device size", dev->path);
	if (ioctl(dev->fd, BLKSSZGET, &lss) == 0 && lss > 0)
		dev->logical_sector_size = (unsigned)lss;
	dev->sector_size_set = true;
	if (ioctl(dev->fd, BLKPBSZGET, &pss) == 0 && pss > 0)
		dev->physical_sector_size = pss;
	read_sysfs_attr(dev->devno, "device/model", dev->model, sizeof dev->model);
	read_sysfs_attr(dev->devno, "device/serial", dev->serial, sizeof dev->serial);
	if (!dev->serial[0])
		read_sysfs_attr(dev->devno, "serial", dev->serial, sizeof dev->serial);
	return 0;
}
