/* Capture plan of a single file system or partition: its used-block map,
 * described in the metadata as one partition numbered 0. */
#include "capture.h"

#include <stdlib.h>
#include <string.h>

#include "lifeboat/error.h"

int lbi_plan_fs(struct lb_dev *src, bool sector_by_sector, struct capture_plan *plan)
{
	struct lb_fs_map map;
	int rc = lb_fs_map_build(src, sector_by_sector, &map);
	if (rc < 0)
		return rc;
	struct lb_image_part *part = calloc(1, sizeof *part);
	if (!part) {
		lb_fs_map_free(&map);
		return lb_fail(LB_E_NOMEM, "out of memory");
	}
	plan->info.kind = LB_IMAGE_FS;
	plan->info.source_size = src->size;
	plan->info.sector_size = src->logical_sector_size;
	memcpy(plan->info.model, src->model, sizeof plan->info.model);
	plan->info.part_count = 1;
	plan->info.parts = part;
	part->size = src->size;
	part->block_size = map.block_size;
	part->used_bytes = lb_extents_total(&map.used);
	if (strcmp(map.fs, "raw") == 0)
		part->flags |= LB_IMAGE_PART_SECTOR_COPY;
	memcpy(part->fs, map.fs, sizeof part->fs);
	memcpy(part->label, map.label, sizeof part->label);
	part->label[sizeof part->label - 1] = '\0';
	plan->used = map.used;
	return 0;
}
