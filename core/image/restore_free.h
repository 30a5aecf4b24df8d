/* Internal: a partition restore into free space of a disk, planned before
 * anything is written (restore_free.c), and the new table entry written
 * after the data (table_add.c). */
#ifndef LIFEBOAT_RESTORE_FREE_H
#define LIFEBOAT_RESTORE_FREE_H

#include "lifeboat/image.h"

/* Fills plan's target range and new_* fields for partition p. */
int lbi_plan_free_space(struct lb_dev *target, const struct lb_image_part *p, struct lb_restore_plan *plan);

/* Saves the sectors of target's table it changes to o->table_backup, then
 * writes the entry planned for info->parts[plan->part_index]. */
int lbi_table_add(struct lb_dev *target, const struct lb_image_info *info, const struct lb_restore_opts *o,
		  const struct lb_restore_plan *plan);

#endif
