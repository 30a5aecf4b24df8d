/* Loop devices over a byte range of a file or block device. */
#ifndef LIFEBOAT_LOOP_H
#define LIFEBOAT_LOOP_H

#include <stdint.h>

struct lb_loop {
	int fd;          /* held open while in use; -1 when detached */
	char name[32];   /* /dev/loopN */
};

/* Attaches a loop device over bytes [offset, offset + size) of path. It
 * detaches itself once lb_loop_detach ran and every other user (a tool
 * given its name) has closed it. */
int lb_loop_attach(const char *path, uint64_t offset, uint64_t size, struct lb_loop *out);
void lb_loop_detach(struct lb_loop *loop);

#endif
