/* lb_dev backend for regular image files: size from stat, discard by
 * punching holes so free space stays sparse. */
#include "dev_backends.h"
#include "lifeboat/error.h"

#include <fcntl.h>
#include <linux/falloc.h>

static int file_discard(struct lb_dev *dev, uint64_t off, uint64_t len)
{
	if (fallocate(dev->fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, (off_t)off, (off_t)len) < 0)
		return lb_fail_errno(LB_E_IO, "%s: punch hole at offset %llu", dev->path, (unsigned long long)off);
	return 0;
}

/* A hole punched past the end changes nothing, and fails where the file
 * system cannot punch holes (FAT, exFAT, some FUSE file systems). */
static bool file_can_discard(struct lb_dev *dev)
{
	return fallocate(dev->fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, (off_t)dev->size, 4096) == 0;
}

static const struct lb_dev_ops file_ops = {
	.kind = "file",
	.read_at = lb_fd_read_at,
	.write_at = lb_fd_write_at,
	.flush = lb_fd_flush,
	.discard = file_discard,
	.can_discard = file_can_discard,
};

int lb_filedev_init(struct lb_dev *dev, const struct stat *st)
{
	dev->ops = &file_ops;
	dev->size = (uint64_t)st->st_size;
	dev->backing_dev = st->st_dev;
	return 0;
}
