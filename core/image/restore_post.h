/* Internal: the partition-table steps after a whole-disk restore: GPT
 * backup moved to the end of a larger disk, --new-identity, --grow-last. */
#ifndef LIFEBOAT_RESTORE_POST_H
#define LIFEBOAT_RESTORE_POST_H

#include "reader.h"

int lbi_restore_post(struct lb_image *img, struct lb_dev *target, const struct lb_restore_opts *o,
		     const struct lb_restore_plan *plan);

#endif
