/* Sanity checks of a partition table before anyone trusts it: every
 * partition inside the disk, logical partitions inside their extended
 * partition, and no two partitions sharing a sector. */
#include "disk_internal.h"
#include "lifeboat/error.h"

#include <stdlib.h>

static uint64_t end_lba(const struct lb_partition *p)
{
	return p->start_lba + p->size_lba - 1;
}

static int by_start(const void *a, const void *b)
{
	const struct lb_partition *pa = *(const struct lb_partition *const *)a;
	const struct lb_partition *pb = *(const struct lb_partition *const *)b;
	return pa->start_lba < pb->start_lba ? -1 : pa->start_lba > pb->start_lba;
}

static int check_bounds(const struct lb_disk *disk)
{
	uint64_t sectors = disk->size_bytes / disk->sector_size;
	const struct lb_partition *extended = NULL;
	for (unsigned i = 0; i < disk->partition_count; i++)
		if (disk->partitions[i].is_extended && !extended)
			extended = &disk->partitions[i];
	for (unsigned i = 0; i < disk->partition_count; i++) {
		const struct lb_partition *p = &disk->partitions[i];
		if (p->start_lba >= sectors || p->size_lba > sectors - p->start_lba)
			return lb_fail(LB_E_TRUNCATED,
				       "%s: partition %u (sectors %llu-%llu) ends beyond the end of the disk (%llu sectors): the disk is smaller than its partition table claims",
				       disk->path, p->number, (unsigned long long)p->start_lba,
				       (unsigned long long)end_lba(p), (unsigned long long)sectors);
		if (p->is_logical && extended &&
		    (p->start_lba < extended->start_lba || end_lba(p) > end_lba(extended)))
			return lb_fail(LB_E_INVALID, "%s: logical partition %u (sectors %llu-%llu) lies outside its extended partition",
				       disk->path, p->number, (unsigned long long)p->start_lba, (unsigned long long)end_lba(p));
		if (disk->table == LB_TABLE_GPT &&
		    (p->start_lba < disk->first_usable_lba || end_lba(p) > disk->last_usable_lba))
			lb_warn("%s: partition %u lies outside the usable area of the GPT (sectors %llu-%llu)",
				disk->path, p->number, (unsigned long long)disk->first_usable_lba,
				(unsigned long long)disk->last_usable_lba);
	}
	return 0;
}

/* Primary partitions (with the extended one) and logical partitions are
 * checked apart: logical partitions lie inside the extended partition. */
static int check_overlaps(const struct lb_disk *disk, const struct lb_partition **sorted, bool logical)
{
	unsigned n = 0;
	for (unsigned i = 0; i < disk->partition_count; i++)
		if (disk->partitions[i].is_logical == logical)
			sorted[n++] = &disk->partitions[i];
	qsort(sorted, n, sizeof *sorted, by_start);
	const struct lb_partition *reach = NULL;  /* the one ending last so far */
	for (unsigned i = 0; i < n; i++) {
		if (reach && sorted[i]->start_lba <= end_lba(reach)) {
			const struct lb_partition *a = reach->number < sorted[i]->number ? reach : sorted[i];
			const struct lb_partition *b = a == reach ? sorted[i] : reach;
			return lb_fail(LB_E_INVALID, "%s: partitions %u and %u overlap (sectors %llu-%llu and %llu-%llu)",
				       disk->path, a->number, b->number,
				       (unsigned long long)a->start_lba, (unsigned long long)end_lba(a),
				       (unsigned long long)b->start_lba, (unsigned long long)end_lba(b));
		}
		if (!reach || end_lba(sorted[i]) > end_lba(reach))
			reach = sorted[i];
	}
	return 0;
}

int disk_check_layout(const struct lb_disk *disk)
{
	int rc = check_bounds(disk);
	if (rc < 0 || disk->partition_count == 0)
		return rc;
	const struct lb_partition **sorted = malloc(disk->partition_count * sizeof *sorted);
	if (!sorted)
		return lb_fail(LB_E_NOMEM, "%s: out of memory", disk->path);
	rc = check_overlaps(disk, sorted, false);
	if (rc == 0)
		rc = check_overlaps(disk, sorted, true);
	free(sorted);
	return rc;
}
