/* Internal: the capture engine shared by file-system and whole-disk
 * captures: a used map in the source's address space is cut into chunks
 * (never across a boundary such as a partition edge), compressed by the
 * worker pool and written in order. */
#ifndef LIFEBOAT_CAPTURE_H
#define LIFEBOAT_CAPTURE_H

#include "lifeboat/fsmap.h"
#include "lifeboat/image.h"

struct capture_plan {
	struct lb_image_info info;      /* metadata fields filled by the caller */
	struct lb_extents used;         /* absolute byte ranges of the source */
	uint64_t *bounds;               /* sorted offsets no chunk may cross */
	size_t nbounds;
};

int lbi_capture_run(struct lb_dev *src, const char *path, const struct lb_capture_opts *o,
		    struct capture_plan *plan);

/* Fills a plan for a whole disk; 1 when src holds no partition table. With
 * o->partitions, the others are described but their data left out. */
int lbi_plan_disk(struct lb_dev *src, const struct lb_capture_opts *o, struct capture_plan *plan);
/* Fills a plan for one file system (or raw partition). */
int lbi_plan_fs(struct lb_dev *src, bool sector_by_sector, struct capture_plan *plan);
void lbi_plan_free(struct capture_plan *plan);

#endif
