/* Plans a restore before anything is written: which range of the image
 * goes where on the target (for a partition into free space, where the new
 * partition will lie), whether it fits (and by how much it does not), and
 * whether the GPT backup must move to the end of a larger disk. */
#include <stdio.h>
#include <string.h>

#include "lifeboat/error.h"
#include "reader.h"
#include "restore_free.h"

#define MIB (1024.0 * 1024.0)

static const struct lb_image_part *find_part(const struct lb_image_info *info, unsigned number)
{
	for (unsigned i = 0; i < info->part_count; i++)
		if (info->parts[i].number == number)
			return &info->parts[i];
	return NULL;
}

/* The partition that ends last, the one to shrink when the disk is small. */
static const struct lb_image_part *last_part(const struct lb_image_info *info)
{
	const struct lb_image_part *last = NULL;
	for (unsigned i = 0; i < info->part_count; i++)
		if (!last || info->parts[i].offset + info->parts[i].size > last->offset + last->size)
			last = &info->parts[i];
	return last;
}

/* The backup GPT at the end of a disk: the usual 128-entry array of 16 KiB
 * and the header, in whole sectors. */
static uint64_t gpt_backup_bytes(uint32_t sector_size)
{
	return sector_size + (16384 + sector_size - 1) / sector_size * sector_size;
}

/* Whether the MBR's extended partition comes last, which --grow-last
 * cannot grow: the partition that ends last is a logical one (the image
 * lists logical partitions, not their container). */
static bool mbr_ends_with_extended(const struct lb_image_info *info)
{
	const struct lb_image_part *last = last_part(info);
	return last && last->number > 4;
}

static uint64_t bytes_in_range(const struct lb_image *img, uint64_t lo, uint64_t hi)
{
	if (!img->seekable) {
		uint64_t used = 0;
		for (unsigned i = 0; i < img->info.part_count; i++)
			if (img->info.parts[i].offset >= lo && img->info.parts[i].offset < hi)
				used += img->info.parts[i].used_bytes;
		return lo == 0 && hi == img->info.source_size ? img->info.used_bytes : used;
	}
	uint64_t total = 0;
	for (uint64_t i = 0; i < img->trailer.chunk_count; i++)
		if (img->index[i].span_start >= lo && img->index[i].span_end <= hi)
			total += img->index[i].raw_len;
	return total;
}

static int too_small(const struct lb_image_info *info, struct lb_dev *target, uint64_t needed)
{
	uint64_t short_by = needed - target->size;
	const struct lb_image_part *last = last_part(info);
	if (info->kind == LB_IMAGE_DISK && last && last->size - last->used_bytes > short_by)
		return lb_fail(LB_E_REFUSED,
			       "%s is %.1f MiB too small for this image (needs %llu bytes, has %llu); the used data "
			       "would fit if partition %u were shrunk by %.1f MiB before capture",
			       target->path, short_by / MIB, (unsigned long long)needed, (unsigned long long)target->size,
			       last->number, short_by / MIB);
	return lb_fail(LB_E_REFUSED, "%s is %.1f MiB too small for this image (needs %llu bytes, has %llu)",
		       target->path, short_by / MIB, (unsigned long long)needed, (unsigned long long)target->size);
}

int lb_restore_check(struct lb_image *img, struct lb_dev *target, const struct lb_restore_opts *o,
		     struct lb_restore_plan *plan)
{
	const struct lb_image_info *info = &img->info;
	memset(plan, 0, sizeof *plan);
	if (o->verify_first && !img->seekable)
		return lb_fail(LB_E_UNSUPPORTED, "--verify-first needs an image file, not a pipe");
	plan->target_size = target->size;
	if (o->partition) {
		const struct lb_image_part *p = find_part(info, o->partition);
		if (info->kind != LB_IMAGE_DISK || !p)
			return lb_fail(LB_E_NOTFOUND, "the image holds no partition %u", o->partition);
		if (p->flags & LB_IMAGE_PART_NOT_CAPTURED)
			return lb_fail(LB_E_NOTFOUND, "partition %u was left out when this image was captured", o->partition);
		plan->source_offset = p->offset;
		plan->source_size = p->size;
		plan->needed_bytes = p->size;
		plan->part_index = (unsigned)(p - info->parts);
		int rc = o->into_free_space ? lbi_plan_free_space(target, p, plan) : 0;
		if (rc < 0)
			return rc;
	} else {
		if (o->into_free_space)
			return lb_fail(LB_E_USAGE, "--into-free-space restores one partition: give --partition N");
		plan->source_size = info->source_size;
		plan->needed_bytes = info->source_size;
		if (info->kind == LB_IMAGE_DISK) {
			const struct lb_image_part *last = last_part(info);
			uint64_t end = last ? last->offset + last->size : info->sector_size;
			plan->needed_bytes = end + (info->table_type == 2 ? gpt_backup_bytes(info->sector_size) : 0);
			if (plan->needed_bytes > info->source_size)
				plan->needed_bytes = info->source_size;
			plan->move_gpt_backup = info->table_type == 2 && target->size != info->source_size;
			if (target->is_block_device && target->logical_sector_size != info->sector_size)
				return lb_fail(LB_E_REFUSED, "%s has %u-byte sectors, the image's disk had %u-byte sectors",
					       target->path, target->logical_sector_size, info->sector_size);
		}
		if ((o->new_identity || o->grow_last) && info->kind != LB_IMAGE_DISK)
			return lb_fail(LB_E_USAGE, "--new-identity and --grow-last need a whole-disk image");
		if (o->grow_last && info->table_type == 1 && mbr_ends_with_extended(info))
			return lb_fail(LB_E_UNSUPPORTED, "--grow-last cannot grow an extended partition, the last on this "
				       "disk; restore without it and grow the logical partition afterwards");
	}
	if (target->size < plan->needed_bytes)
		return too_small(info, target, plan->needed_bytes);
	if (o->discard && target->writable && !lb_dev_can_discard(target))
		return lb_fail(LB_E_UNSUPPORTED, "%s cannot discard (no TRIM, or a file system without holes); "
			       "leave out --discard, or zero free space with --fill-free", target->path);
	plan->write_bytes = bytes_in_range(img, plan->source_offset, plan->source_offset + plan->source_size);
	return 0;
}
