/* Loop devices over a byte range of a file or block device, so that tools
 * that want a device of their own (resize2fs, ntfsresize) can work on one
 * partition of a disk image or of a disk. The loop device clears itself
 * when its last user closes it. */
#include "lifeboat/loop.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/loop.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "lifeboat/error.h"

#define ATTACH_TRIES 8

static int configure(int loop_fd, int backing_fd, uint64_t offset, uint64_t size)
{
	struct loop_config cfg;
	memset(&cfg, 0, sizeof cfg);
	cfg.fd = (unsigned)backing_fd;
	cfg.info.lo_offset = offset;
	cfg.info.lo_sizelimit = size;
	cfg.info.lo_flags = LO_FLAGS_AUTOCLEAR;
	return ioctl(loop_fd, LOOP_CONFIGURE, &cfg);
}

/* Attaches the first free loop device; another process may take it
 * between asking and attaching (EBUSY), then the next one is tried. */
static int attach_free(int ctl, int backing, uint64_t offset, uint64_t size, struct lb_loop *out)
{
	for (int tries = 0; tries < ATTACH_TRIES; tries++) {
		int n = ioctl(ctl, LOOP_CTL_GET_FREE);
		if (n < 0)
			return lb_fail_errno(LB_E_IO, "no free loop device");
		snprintf(out->name, sizeof out->name, "/dev/loop%d", n);
		int fd = open(out->name, O_RDWR | O_CLOEXEC);
		if (fd < 0)
			return lb_fail_errno(LB_E_IO, "%s", out->name);
		if (configure(fd, backing, offset, size) == 0) {
			out->fd = fd;
			return 0;
		}
		int err = errno;
		close(fd);
		if (err != EBUSY) {
			errno = err;
			return lb_fail_errno(LB_E_IO, "%s: cannot attach", out->name);
		}
	}
	return lb_fail(LB_E_IO, "no loop device stayed free to attach");
}

int lb_loop_attach(const char *path, uint64_t offset, uint64_t size, struct lb_loop *out)
{
	out->fd = -1;
	int backing = open(path, O_RDWR | O_CLOEXEC);
	if (backing < 0)
		return lb_fail_errno(LB_E_IO, "%s: cannot open for a loop device", path);
	int ctl = open("/dev/loop-control", O_RDWR | O_CLOEXEC);
	int rc = ctl < 0 ? lb_fail_errno(LB_E_UNSUPPORTED, "no loop devices (/dev/loop-control)")
			 : attach_free(ctl, backing, offset, size, out);
	if (ctl >= 0)
		close(ctl);
	close(backing);
	return rc;
}

void lb_loop_detach(struct lb_loop *loop)
{
	if (loop->fd >= 0) {
		ioctl(loop->fd, LOOP_CLR_FD, 0);
		close(loop->fd);
	}
	loop->fd = -1;
}
