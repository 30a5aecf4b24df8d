/* Opening byte devices and the checks shared by every backend: bounds,
 * read-only handles, and the dispatch through struct lb_dev_ops. */
#include "lifeboat/io.h"
#include "lifeboat/error.h"
#include "dev_backends.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int lb_dev_open(const char *path, int flags, struct lb_dev **out)
{
	int oflags = O_CLOEXEC | ((flags & LB_DEV_WRITE) ? O_RDWR : O_RDONLY);
	struct stat st;
	*out = NULL;
	if (stat(path, &st) < 0)
		return lb_fail_errno(LB_E_NOTFOUND, "%s", path);
	if (S_ISBLK(st.st_mode) && (flags & LB_DEV_EXCLUSIVE))
		oflags |= O_EXCL;
	int fd = open(path, oflags);
	if (fd < 0) {
		if (errno == EBUSY)
			return lb_fail(LB_E_REFUSED, "%s: device is in use (mounted or held by another program)", path);
		return lb_fail_errno(LB_E_IO, "%s", path);
	}
	if (fstat(fd, &st) < 0) {
		int rc = lb_fail_errno(LB_E_IO, "%s", path);
		close(fd);
		return rc;
	}
	struct lb_dev *dev = calloc(1, sizeof *dev);
	if (!dev || !(dev->path = strdup(path))) {
		free(dev);
		close(fd);
		return lb_fail(LB_E_NOMEM, "%s: out of memory", path);
	}
	dev->fd = fd;
	dev->writable = (flags & LB_DEV_WRITE) != 0;
	dev->logical_sector_size = 512;
	dev->physical_sector_size = 512;
	int rc;
	if (S_ISBLK(st.st_mode))
		rc = lb_blockdev_init(dev, &st);
	else if (S_ISREG(st.st_mode))
		rc = lb_filedev_init(dev, &st);
	else
		rc = lb_fail(LB_E_UNSUPPORTED, "%s: not a disk, partition or image file", path);
	if (rc < 0) {
		lb_dev_close(dev);
		return rc;
	}
	*out = dev;
	return 0;
}

void lb_dev_set_sector_size(struct lb_dev *dev, unsigned logical_sector_size)
{
	dev->logical_sector_size = logical_sector_size;
	dev->sector_size_set = true;
	if (dev->physical_sector_size < logical_sector_size)
		dev->physical_sector_size = logical_sector_size;
}

static int check_range(struct lb_dev *dev, size_t len, uint64_t off, const char *what)
{
	if (off > dev->size || len > dev->size - off)
		return lb_fail(LB_E_TRUNCATED, "%s: %s of %zu bytes at offset %llu is past the end (%llu bytes)",
			       dev->path, what, len, (unsigned long long)off, (unsigned long long)dev->size);
	return 0;
}

int lb_dev_read(struct lb_dev *dev, void *buf, size_t len, uint64_t off)
{
	int rc = check_range(dev, len, off, "read");
	return rc < 0 ? rc : dev->ops->read_at(dev, buf, len, off);
}

int lb_dev_write(struct lb_dev *dev, const void *buf, size_t len, uint64_t off)
{
	if (!dev->writable)
		return lb_fail(LB_E_USAGE, "%s: opened read-only", dev->path);
	int rc = check_range(dev, len, off, "write");
	return rc < 0 ? rc : dev->ops->write_at(dev, buf, len, off);
}

int lb_dev_flush(struct lb_dev *dev)
{
	return dev->writable ? dev->ops->flush(dev) : 0;
}

int lb_dev_discard(struct lb_dev *dev, uint64_t off, uint64_t len)
{
	if (!dev->writable)
		return lb_fail(LB_E_USAGE, "%s: opened read-only", dev->path);
	int rc = check_range(dev, (size_t)len, off, "discard");
	return rc < 0 ? rc : dev->ops->discard(dev, off, len);
}

bool lb_dev_can_discard(struct lb_dev *dev)
{
	return dev->writable && dev->ops->can_discard && dev->ops->can_discard(dev);
}

void lb_dev_close(struct lb_dev *dev)
{
	if (!dev)
		return;
	if (dev->ops && dev->ops->close)
		dev->ops->close(dev);
	if (dev->fd >= 0)
		close(dev->fd);
	free(dev->path);
	free(dev);
}
