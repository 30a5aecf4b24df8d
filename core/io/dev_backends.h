/* Internal: initialisers of the lb_dev backends, called by lb_dev_open. */
#ifndef LIFEBOAT_DEV_BACKENDS_H
#define LIFEBOAT_DEV_BACKENDS_H

#include <sys/stat.h>

#include "lifeboat/io.h"

int lb_filedev_init(struct lb_dev *dev, const struct stat *st);
int lb_blockdev_init(struct lb_dev *dev, const struct stat *st);

/* pread/pwrite loops shared by the fd-based backends. */
int lb_fd_read_at(struct lb_dev *dev, void *buf, size_t len, uint64_t off);
int lb_fd_write_at(struct lb_dev *dev, const void *buf, size_t len, uint64_t off);
int lb_fd_flush(struct lb_dev *dev);

#endif
