/* Opening "PATH" or "PATH:N": a device or image file, or partition N of
 * its partition table as a slice that owns (and closes) the whole disk;
 * and the disk and number behind such a spec or a partition device. */
#include "lifeboat/disk.h"
#include "lifeboat/error.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

/* Splits "PATH:N" when PATH exists and N is a decimal number. */
static bool split_spec(const char *spec, char **path, unsigned *number)
{
	const char *colon = strrchr(spec, ':');
	struct stat st;
	if (!colon || colon[1] == '\0' || strspn(colon + 1, "0123456789") != strlen(colon + 1) ||
	    strlen(colon + 1) > 6 || stat(spec, &st) == 0)
		return false;
	*path = strndup(spec, (size_t)(colon - spec));
	*number = (unsigned)atoi(colon + 1);
	return *path != NULL;
}

static int open_partition(struct lb_dev *disk_dev, unsigned number, const char *spec, struct lb_dev **out)
{
	struct lb_disk *disk;
	int rc = lb_disk_read(disk_dev, &disk);
	if (rc < 0)
		return rc;
	const struct lb_partition *part = NULL;
	for (unsigned i = 0; i < disk->partition_count; i++)
		if (disk->partitions[i].number == number)
			part = &disk->partitions[i];
	if (!part)
		rc = lb_fail(LB_E_NOTFOUND, "%s: no partition %u on %s", spec, number, disk_dev->path);
	else if (part->is_extended)
		rc = lb_fail(LB_E_USAGE, "%s: partition %u is the extended partition, a container of others",
			     spec, number);
	else
		rc = lb_dev_open_slice(disk_dev, part->start_bytes, part->size_bytes, spec, out);
	if (rc == 0)
		lb_dev_set_sector_size(*out, disk->sector_size);
	lb_disk_free(disk);
	return rc;
}

int lb_dev_open_spec(const char *spec, int flags, struct lb_dev **out)
{
	char *path;
	unsigned number;
	*out = NULL;
	if (!split_spec(spec, &path, &number))
		return lb_dev_open(spec, flags, out);
	struct lb_dev *disk_dev;
	int rc = lb_dev_open(path, flags, &disk_dev);
	free(path);
	if (rc < 0)
		return rc;
	rc = open_partition(disk_dev, number, spec, out);
	if (rc < 0) {
		lb_dev_close(disk_dev);
		return rc;
	}
	lb_dev_slice_own_parent(*out);
	return 0;
}

/* A partition block device: its disk's /dev node and its number, from sysfs. */
static int locate_block_partition(const char *spec, dev_t rdev, char **disk_path, unsigned *number)
{
	char path[64], real[PATH_MAX], file[PATH_MAX + 16];
	snprintf(path, sizeof path, "/sys/dev/block/%u:%u", major(rdev), minor(rdev));
	snprintf(file, sizeof file, "%s/partition", path);
	FILE *f = realpath(path, real) ? fopen(file, "re") : NULL;
	int ok = f && fscanf(f, "%u", number) == 1;
	if (f)
		fclose(f);
	char *slash = strrchr(real, '/');
	if (!ok || !slash)
		return lb_fail(LB_E_NOTFOUND, "%s: not a partition of a disk", spec);
	*slash = '\0';
	slash = strrchr(real, '/');
	if (!slash || asprintf(disk_path, "/dev%s", slash) < 0)
		return lb_fail(LB_E_NOTFOUND, "%s: its disk is not known to sysfs", spec);
	return 0;
}

int lb_dev_spec_locate(const char *spec, char **disk_path, unsigned *number)
{
	struct stat st;
	*disk_path = NULL;
	if (split_spec(spec, disk_path, number))
		return 0;
	if (stat(spec, &st) == 0 && S_ISBLK(st.st_mode))
		return locate_block_partition(spec, st.st_rdev, disk_path, number);
	return lb_fail(LB_E_NOTFOUND, "%s: not a partition of a disk (an image of one partition, or a folder)", spec);
}
