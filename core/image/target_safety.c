/* Safety refusals before a restore opens its target: the target (or one of
 * its partitions) is mounted, or the target is the disk that holds the
 * image being read. Devices are compared by number, through sysfs. */
#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include "lifeboat/error.h"
#include "lifeboat/image.h"

/* The whole disk a block device belongs to (itself if it is one). */
static dev_t whole_disk(dev_t dev)
{
	char path[64], real[PATH_MAX], devfile[PATH_MAX + 16];
	snprintf(path, sizeof path, "/sys/dev/block/%u:%u", major(dev), minor(dev));
	if (!realpath(path, real))
		return dev;
	snprintf(devfile, sizeof devfile, "%s/partition", real);
	struct stat st;
	if (stat(devfile, &st) < 0)
		return dev;
	char *slash = strrchr(real, '/');
	if (!slash)
		return dev;
	*slash = '\0';
	snprintf(devfile, sizeof devfile, "%s/dev", real);
	FILE *f = fopen(devfile, "re");
	unsigned maj, min;
	dev_t out = dev;
	if (f && fscanf(f, "%u:%u", &maj, &min) == 2)
		out = makedev(maj, min);
	if (f)
		fclose(f);
	return out;
}

int lb_target_check_not_image_disk(const char *target_path, const char *image_path)
{
	struct stat ts, is;
	if (strcmp(image_path, "-") == 0 || stat(target_path, &ts) < 0 || stat(image_path, &is) < 0)
		return 0;
	if (S_ISBLK(ts.st_mode) && S_ISBLK(is.st_mode) && whole_disk(ts.st_rdev) == whole_disk(is.st_rdev))
		return lb_fail(LB_E_REFUSED, "%s: refusing to restore onto the disk that holds the image", target_path);
	if (S_ISBLK(ts.st_mode) && !S_ISBLK(is.st_mode) && whole_disk(ts.st_rdev) == whole_disk(is.st_dev))
		return lb_fail(LB_E_REFUSED, "%s: refusing to restore onto the disk that holds the image", target_path);
	return 0;
}

/* Whether dev (or, for a whole disk, one of its partitions) appears in mountinfo. */
static bool mounted(dev_t dev)
{
	FILE *f = fopen("/proc/self/mountinfo", "re");
	if (!f)
		return false;
	char line[4096];
	bool found = false;
	dev_t disk = whole_disk(dev);
	while (!found && fgets(line, sizeof line, f)) {
		unsigned maj, min;
		if (sscanf(line, "%*u %*u %u:%u", &maj, &min) != 2)
			continue;
		dev_t m = makedev(maj, min);
		found = m == dev || (disk == dev && whole_disk(m) == dev);
	}
	fclose(f);
	return found;
}

/* Whether another device (device mapper, md, swap users) holds dev. */
static bool held(dev_t dev)
{
	char path[96];
	snprintf(path, sizeof path, "/sys/dev/block/%u:%u/holders", major(dev), minor(dev));
	DIR *d = opendir(path);
	if (!d)
		return false;
	bool any = false;
	struct dirent *e;
	while (!any && (e = readdir(d)))
		any = e->d_name[0] != '.';
	closedir(d);
	return any;
}

int lb_target_check_not_mounted(const char *target_path)
{
	struct stat st;
	if (stat(target_path, &st) < 0 || !S_ISBLK(st.st_mode))
		return 0;
	if (mounted(st.st_rdev))
		return lb_fail(LB_E_REFUSED, "%s: refusing to restore onto a mounted file system (unmount it first)",
			       target_path);
	if (held(st.st_rdev))
		return lb_fail(LB_E_REFUSED, "%s: refusing to restore onto a device in use by another device", target_path);
	return 0;
}
