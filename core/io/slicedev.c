/* lb_dev backend for a window into another device, e.g. partition 2 of a
 * disk image: offsets are shifted and bounded, the parent does the I/O. */
#include "lifeboat/io.h"
#include "lifeboat/error.h"

#include <stdlib.h>
#include <string.h>

static int slice_read(struct lb_dev *dev, void *buf, size_t len, uint64_t off)
{
	return lb_dev_read(dev->parent, buf, len, dev->offset + off);
}

static int slice_write(struct lb_dev *dev, const void *buf, size_t len, uint64_t off)
{
	return lb_dev_write(dev->parent, buf, len, dev->offset + off);
}

static int slice_flush(struct lb_dev *dev)
{
	return lb_dev_flush(dev->parent);
}

static int slice_discard(struct lb_dev *dev, uint64_t off, uint64_t len)
{
	return lb_dev_discard(dev->parent, dev->offset + off, len);
}

static void slice_close(struct lb_dev *dev)
{
	if (dev->owns_parent)
		lb_dev_close(dev->parent);
}

static bool slice_can_discard(struct lb_dev *dev)
{
	return lb_dev_can_discard(dev->parent);
}

static const struct lb_dev_ops slice_ops = {
	.kind = "slice",
	.read_at = slice_read,
	.write_at = slice_write,
	.flush = slice_flush,
	.discard = slice_discard,
	.can_discard = slice_can_discard,
	.close = slice_close,
};

int lb_dev_open_slice(struct lb_dev *parent, uint64_t offset, uint64_t size,
		      const char *name, struct lb_dev **out)
{
	*out = NULL;
	if (offset > parent->size || size > parent->size - offset)
		return lb_fail(LB_E_INVALID, "%s: range %llu+%llu lies outside the device (%llu bytes)",
			       name, (unsigned long long)offset, (unsigned long long)size,
			       (unsigned long long)parent->size);
	struct lb_dev *dev = calloc(1, sizeof *dev);
	if (!dev || !(dev->path = strdup(name))) {
		free(dev);
		return lb_fail(LB_E_NOMEM, "%s: out of memory", name);
	}
	dev->ops = &slice_ops;
	dev->fd = -1;
	dev->parent = parent;
	dev->offset = offset;
	dev->size = size;
	dev->writable = parent->writable;
	dev->is_block_device = false;
	dev->devno = parent->devno;
	dev->backing_dev = parent->backing_dev;
	dev->logical_sector_size = parent->logical_sector_size;
	dev->physical_sector_size = parent->physical_sector_size;
	memcpy(dev->model, parent->model, sizeof dev->model);
	memcpy(dev->serial, parent->serial, sizeof dev->serial);
	*out = dev;
	return 0;
}

void lb_dev_slice_own_parent(struct lb_dev *slice)
{
	slice->owns_parent = true;
}
