/* Safety refusals before a restore opens its target: the target (or one of
 * its partitions, or the loop device a target file backs) is mounted, or
 * the target is the disk or the file that holds the image being read.
 * Devices are compared by number, through sysfs; files by inode. */
#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include "lifeboat/error.h"
#include "lifeboat/image.h"
#include "stream.h"

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

static bool same_file(const struct stat *a, const struct stat *b)
{
	return a->st_dev == b->st_dev && a->st_ino == b->st_ino;
}

/* Whether target is the image file or one of its split volumes. */
static bool is_image_volume(const struct stat *target, const char *image_path)
{
	struct stat vs;
	if (stat(image_path, &vs) == 0 && same_file(target, &vs))
		return true;
	bool found = false;
	for (unsigned n = 2; !found && n < 1000; n++) {
		char *name = lb_volume_name(image_path, n);
		bool there = name && stat(name, &vs) == 0;
		free(name);
		if (!there)
			break;
		found = same_file(target, &vs);
	}
	return found;
}

int lb_target_check_not_image_disk(const char *target_path, const char *image_path)
{
	struct stat ts, is;
	if (strcmp(image_path, "-") == 0 || stat(target_path, &ts) < 0 || stat(image_path, &is) < 0)
		return 0;
	if (S_ISREG(ts.st_mode) && is_image_volume(&ts, image_path))
		return lb_fail(LB_E_REFUSED, "%s: refusing to restore an image onto itself", target_path);
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

/* The loop device whose backing file is the file st, if any (0 if none). */
static dev_t loop_backed_by(const struct stat *st, char *name, size_t len)
{
	DIR *d = opendir("/sys/block");
	if (!d)
		return 0;
	dev_t found = 0;
	struct dirent *e;
	while (!found && (e = readdir(d))) {
		if (strncmp(e->d_name, "loop", 4) != 0)
			continue;
		char path[PATH_MAX], backing[PATH_MAX];
		snprintf(path, sizeof path, "/sys/block/%s/loop/backing_file", e->d_name);
		FILE *f = fopen(path, "re");
		bool have = f && fgets(backing, sizeof backing, f);
		if (f)
			fclose(f);
		backing[have ? strcspn(backing, "\n") : 0] = '\0';
		struct stat bs;
		snprintf(path, sizeof path, "/sys/block/%s/dev", e->d_name);
		unsigned maj, min;
		if (!have || stat(backing, &bs) < 0 || !same_file(st, &bs) || !(f = fopen(path, "re")))
			continue;
		if (fscanf(f, "%u:%u", &maj, &min) == 2) {
			found = makedev(maj, min);
			snprintf(name, len, "/dev/%s", e->d_name);
		}
		fclose(f);
	}
	closedir(d);
	return found;
}

int lb_target_check_not_mounted(const char *target_path)
{
	struct stat st;
	if (stat(target_path, &st) < 0)
		return 0;
	if (S_ISREG(st.st_mode)) {
		char loop[300];
		dev_t dev = loop_backed_by(&st, loop, sizeof loop);
		if (dev && (mounted(dev) || held(dev)))
			return lb_fail(LB_E_REFUSED, "%s: refusing to restore onto a file that %s serves to a mounted file system "
				       "(unmount it and detach %s first)", target_path, loop, loop);
		return 0;
	}
	if (!S_ISBLK(st.st_mode))
		return 0;
	if (mounted(st.st_rdev))
		return lb_fail(LB_E_REFUSED, "%s: refusing to restore onto a mounted file system (unmount it first)",
			       target_path);
	if (held(st.st_rdev))
		return lb_fail(LB_E_REFUSED, "%s: refusing to restore onto a device in use by another device", target_path);
	return 0;
}
