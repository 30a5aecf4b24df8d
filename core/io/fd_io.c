/* pread/pwrite loops for file-descriptor backed devices (files and block
 * devices): retry on EINTR and short transfers, report the failing offset. */
#include "dev_backends.h"
#include "lifeboat/error.h"

#include <errno.h>
#include <unistd.h>

int lb_fd_read_at(struct lb_dev *dev, void *buf, size_t len, uint64_t off)
{
	char *p = buf;
	while (len > 0) {
		ssize_t n = pread(dev->fd, p, len, (off_t)off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return lb_fail_errno(LB_E_IO, "%s: read at offset %llu", dev->path, (unsigned long long)off);
		if (n == 0)
			return lb_fail(LB_E_TRUNCATED, "%s: unexpected end of data at offset %llu",
				       dev->path, (unsigned long long)off);
		p += n;
		len -= (size_t)n;
		off += (uint64_t)n;
	}
	return 0;
}

int lb_fd_write_at(struct lb_dev *dev, const void *buf, size_t len, uint64_t off)
{
	const char *p = buf;
	while (len > 0) {
		ssize_t n = pwrite(dev->fd, p, len, (off_t)off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return lb_fail_errno(LB_E_IO, "%s: write at offset %llu", dev->path, (unsigned long long)off);
		p += n;
		len -= (size_t)n;
		off += (uint64_t)n;
	}
	return 0;
}

int lb_fd_flush(struct lb_dev *dev)
{
	if (fsync(dev->fd) < 0)
		return lb_fail_errno(LB_E_IO, "%s: flush", dev->path);
	return 0;
}
