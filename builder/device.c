/* Claiming a block device before lifeboat-build writes media to it: the
 * device must be a whole disk, hold no mounted file system (the system's
 * own disk always does), and the user confirms after seeing its model and
 * size. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "device.h"
#include "lifeboat/error.h"
#include "lifeboat/io.h"
#include "stage.h"

/* True when the whole disk dev (major:minor) holds the file system mounted
 * with device number mounted (itself or one of its partitions). */
static bool disk_holds(dev_t disk, dev_t mounted)
{
	if (mounted == disk)
		return true;
	char *link = xasprintf("/sys/dev/block/%u:%u/partition", major(mounted), minor(mounted));
	bool is_partition = access(link, F_OK) == 0;
	free(link);
	if (!is_partition)
		return false;
	char *parent = xasprintf("/sys/dev/block/%u:%u/../dev", major(mounted), minor(mounted));
	FILE *f = fopen(parent, "r");
	free(parent);
	unsigned ma, mi;
	bool holds = f && fscanf(f, "%u:%u", &ma, &mi) == 2 && makedev(ma, mi) == disk;
	if (f)
		fclose(f);
	return holds;
}

/* The next mount of /proc/self/mountinfo whose device disk holds: its
 * device in *dev and mount point in mnt (1024 bytes); false at the end. */
static bool next_mount_on(FILE *f, dev_t disk, dev_t *dev, char *mnt)
{
	char line[4096];
	unsigned ma, mi;
	while (fgets(line, sizeof line, f))
		if (sscanf(line, "%*u %*u %u:%u %*s %1023s", &ma, &mi, mnt) == 3 && disk_holds(disk, makedev(ma, mi))) {
			*dev = makedev(ma, mi);
			return true;
		}
	return false;
}

/* Refuses disk when /proc/self/mountinfo shows a file system on it. */
static int check_not_mounted(const char *path, dev_t disk)
{
	FILE *f = fopen("/proc/self/mountinfo", "r");
	if (!f)
		return lb_fail_errno(LB_E_IO, "cannot read /proc/self/mountinfo");
	int rc = 0;
	dev_t dev;
	char mnt[1024];
	while (!rc && next_mount_on(f, disk, &dev, mnt))
		rc = lb_fail(LB_E_REFUSED, "%s is in use: a file system on it is mounted at %s%s", path, mnt,
			     strcmp(mnt, "/") == 0 ? " (the running system's disk)" : "");
	fclose(f);
	return rc;
}

static void human_size(uint64_t bytes, char *out, size_t n)
{
	const char *units[] = { "B", "KiB", "MiB", "GiB", "TiB" };
	double v = (double)bytes;
	int u = 0;
	while (v >= 1024 && u < 4) {
		v /= 1024;
		u++;
	}
	snprintf(out, n, "%.1f %s", v, units[u]);
}

int device_partition_unused(const char *path, dev_t disk, unsigned number)
{
	FILE *f = fopen("/proc/self/mountinfo", "r");
	if (!f)
		return lb_fail_errno(LB_E_IO, "cannot read /proc/self/mountinfo");
	int rc = 0;
	dev_t dev;
	char mnt[1024];
	while (!rc && next_mount_on(f, disk, &dev, mnt)) {
		unsigned n = 0;
		if (dev == disk)
			continue;
		char *attr = xasprintf("/sys/dev/block/%u:%u/partition", major(dev), minor(dev));
		FILE *pf = fopen(attr, "r");
		free(attr);
		if (pf && fscanf(pf, "%u", &n) == 1 && n == number)
			rc = lb_fail(LB_E_REFUSED, "partition %u of %s is mounted at %s; unmount it first", number, path, mnt);
		if (pf)
			fclose(pf);
	}
	fclose(f);
	return rc;
}

int device_confirm(const char *question)
{
	printf("%s Type yes to go on: ", question);
	fflush(stdout);
	char answer[16] = "";
	if (!fgets(answer, sizeof answer, stdin) || strcmp(answer, "yes\n") != 0)
		return lb_fail(LB_E_CANCELLED, "nothing written: not confirmed");
	return 0;
}

void device_describe(const struct lb_dev *dev, char *out, size_t n)
{
	char human[32];
	human_size(dev->size, human, sizeof human);
	snprintf(out, n, "%s: %s, %s", dev->path, dev->model[0] ? dev->model : "unknown model", human);
}

int device_claim(const char *path, bool assume_yes, uint64_t *size)
{
	struct stat st;
	if (stat(path, &st) != 0)
		return lb_fail_errno(LB_E_NOTFOUND, "%s", path);
	if (!S_ISBLK(st.st_mode))
		return lb_fail(LB_E_INVALID, "%s is not a block device (use -o for an image file)", path);
	char *partition = xasprintf("/sys/dev/block/%u:%u/partition", major(st.st_rdev), minor(st.st_rdev));
	bool is_partition = access(partition, F_OK) == 0;
	free(partition);
	if (is_partition)
		return lb_fail(LB_E_INVALID, "%s is a partition; name the whole disk", path);
	int rc = check_not_mounted(path, st.st_rdev);
	if (rc)
		return rc;
	struct lb_dev *dev;
	rc = lb_dev_open(path, LB_DEV_READ | LB_DEV_EXCLUSIVE, &dev);
	if (rc)
		return lb_fail_context(rc, "%s is in use", path);
	*size = dev->size;
	char human[32];
	human_size(dev->size, human, sizeof human);
	printf("%s: %s, %s (%" PRIu64 " bytes). Everything on it will be erased.\n", path,
		dev->model[0] ? dev->model : "unknown model", human, dev->size);
	lb_dev_close(dev);
	if (assume_yes)
		return 0;
	printf("Type yes to write Lifeboat to it: ");
	fflush(stdout);
	char answer[16] = "";
	if (!fgets(answer, sizeof answer, stdin) || strcmp(answer, "yes\n") != 0)
		return lb_fail(LB_E_CANCELLED, "%s left untouched: not confirmed", path);
	return 0;
}
