/* Capture plan of a whole disk: the partition table, boot code and the gaps
 * between partitions are kept whole (large unpartitioned areas keep their
 * first and last MiB, where boot loaders and the backup GPT live), and each
 * partition contributes the used-block map of its file system; a partition
 * left out (--partitions) is described, flagged, and contributes nothing. */
#include "capture.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lifeboat/disk.h"
#include "lifeboat/error.h"

#define GAP_WHOLE_LIMIT (64ull << 20)
#define GAP_EDGE (1ull << 20)

static int by_start(const void *a, const void *b)
{
	const struct lb_partition *x = *(const struct lb_partition *const *)a;
	const struct lb_partition *y = *(const struct lb_partition *const *)b;
	return x->start_bytes < y->start_bytes ? -1 : x->start_bytes > y->start_bytes;
}

static int add_gap(struct lb_extents *used, uint64_t from, uint64_t to)
{
	if (to <= from)
		return 0;
	if (to - from <= GAP_WHOLE_LIMIT)
		return lb_extents_add(used, from, to - from);
	int rc = lb_extents_add(used, from, GAP_EDGE);
	return rc < 0 ? rc : lb_extents_add(used, to - GAP_EDGE, GAP_EDGE);
}

static bool chosen(const struct lb_capture_opts *o, unsigned number)
{
	for (unsigned i = 0; i < o->partition_count; i++)
		if (o->partitions[i] == number)
			return true;
	return o->partition_count == 0;
}

/* The table's side of a partition (number, place, type, identity, name). */
static void describe_partition(const struct lb_partition *p, struct lb_image_part *out)
{
	out->number = p->number;
	out->flags = p->bootable ? LB_IMAGE_PART_BOOTABLE : 0;
	out->offset = p->start_bytes;
	out->size = p->size_bytes;
	memcpy(out->type_guid, p->type_guid, 16);
	memcpy(out->part_guid, p->part_guid, 16);
	out->mbr_type = p->mbr_type;
	snprintf(out->name, sizeof out->name, "%.95s", p->name);
}

/* A partition whose data is captured: its file system's used blocks. One
 * left out is only described; its file system is not even read, so a
 * damaged or locked one can be left out too. */
static int map_partition(struct lb_dev *src, const struct lb_partition *p, bool sbs, bool keep,
			 struct lb_image_part *out, struct lb_extents *used)
{
	describe_partition(p, out);
	if (!keep) {
		out->flags |= LB_IMAGE_PART_NOT_CAPTURED;
		return 0;
	}
	struct lb_dev *slice;
	char name[64];
	snprintf(name, sizeof name, "partition %u", p->number);
	int rc = lb_dev_open_slice(src, p->start_bytes, p->size_bytes, name, &slice);
	if (rc < 0)
		return rc;
	struct lb_fs_map map;
	rc = lb_fs_map_build(slice, sbs, &map);
	lb_dev_close(slice);
	if (rc < 0)
		return lb_fail_context(rc, "%s", name);
	out->flags |= strcmp(map.fs, "raw") == 0 ? LB_IMAGE_PART_SECTOR_COPY : 0;
	out->block_size = map.block_size;
	out->used_bytes = lb_extents_total(&map.used);
	memcpy(out->fs, map.fs, sizeof out->fs);
	memcpy(out->label, map.label, sizeof out->label);
	out->label[sizeof out->label - 1] = '\0';
	for (size_t i = 0; rc == 0 && i < map.used.count; i++)
		rc = lb_extents_add(used, p->start_bytes + map.used.v[i].start, map.used.v[i].len);
	lb_fs_map_free(&map);
	return rc;
}

static int plan_from_disk(struct lb_dev *src, const struct lb_disk *disk, const struct lb_capture_opts *o,
			  struct capture_plan *plan)
{
	for (unsigned i = 0; i < o->partition_count; i++) {
		bool found = false;
		for (unsigned k = 0; k < disk->partition_count && !found; k++)
			found = disk->partitions[k].number == o->partitions[i] && !disk->partitions[k].is_extended;
		if (!found)
			return lb_fail(LB_E_USAGE, "%s has no partition %u to capture", src->path, o->partitions[i]);
	}
	struct lb_image_info *info = &plan->info;
	info->kind = LB_IMAGE_DISK;
	info->source_size = src->size;
	info->sector_size = disk->sector_size;
	info->table_type = disk->table == LB_TABLE_GPT ? 2 : 1;
	info->mbr_signature = disk->mbr_signature;
	memcpy(info->disk_guid, disk->disk_guid, 16);
	snprintf(info->model, sizeof info->model, "%s", disk->model[0] ? disk->model : src->model);
	const struct lb_partition **parts = calloc(disk->partition_count + 1, sizeof *parts);
	info->parts = calloc(disk->partition_count + 1, sizeof *info->parts);
	plan->bounds = calloc(2 * (size_t)disk->partition_count + 1, sizeof *plan->bounds);
	if (!parts || !info->parts || !plan->bounds) {
		free(parts);
		return lb_fail(LB_E_NOMEM, "out of memory");
	}
	unsigned n = 0;
	for (unsigned i = 0; i < disk->partition_count; i++)
		if (!disk->partitions[i].is_extended && disk->partitions[i].size_bytes > 0)
			parts[n++] = &disk->partitions[i];
	qsort(parts, n, sizeof *parts, by_start);
	uint64_t pos = 0;
	int rc = 0;
	for (unsigned i = 0; rc == 0 && i < n; i++) {
		rc = add_gap(&plan->used, pos, parts[i]->start_bytes);
		if (rc == 0)
			rc = map_partition(src, parts[i], o->sector_by_sector, chosen(o, parts[i]->number), &info->parts[i],
					   &plan->used);
		plan->bounds[plan->nbounds++] = parts[i]->start_bytes;
		plan->bounds[plan->nbounds++] = parts[i]->start_bytes + parts[i]->size_bytes;
		pos = parts[i]->start_bytes + parts[i]->size_bytes;
	}
	info->part_count = n;
	if (rc == 0)
		rc = add_gap(&plan->used, pos, src->size);
	free(parts);
	return rc;
}

int lbi_plan_disk(struct lb_dev *src, const struct lb_capture_opts *o, struct capture_plan *plan)
{
	struct lb_disk *disk;
	int rc = lb_disk_read(src, &disk);
	if (rc < 0)
		return rc;
	if (disk->table == LB_TABLE_NONE) {
		lb_disk_free(disk);
		return 1;
	}
	rc = plan_from_disk(src, disk, o, plan);
	lb_disk_free(disk);
	return rc;
}
