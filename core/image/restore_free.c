/* Plans a partition restore into free space of a disk: the first region of
 * the disk's partition table (GPT usable area, or an MBR disk after its
 * first MiB) where the partition fits, 1 MiB aligned, and a free entry
 * (GPT slot, MBR primary) for it. Nothing is written here. */
#include <stdlib.h>
#include <string.h>

#include "lifeboat/bytes.h"
#include "lifeboat/disk.h"
#include "lifeboat/error.h"
#include "restore_free.h"

#define ALIGN_BYTES (1u << 20)
#define MIB (1024.0 * 1024.0)

struct span {
	uint64_t start, end;   /* sectors, inclusive */
};

static int by_start(const void *a, const void *b)
{
	const struct span *x = a, *y = b;
	return x->start < y->start ? -1 : x->start > y->start;
}

/* The first free entry number: GPT slots 1..count, MBR primaries 1..4. */
static int free_number(struct lb_dev *t, const struct lb_disk *d, unsigned *number)
{
	uint32_t count = 4;
	if (d->table == LB_TABLE_GPT) {
		uint8_t hdr[92];
		int rc = lb_dev_read(t, hdr, sizeof hdr, d->sector_size);
		if (rc < 0)
			return rc;
		count = lb_le32(hdr + 80);
	}
	for (unsigned n = 1; n <= count; n++) {
		bool used = false;
		for (unsigned i = 0; i < d->partition_count && !used; i++)
			used = d->partitions[i].number == n && !d->partitions[i].is_logical;
		if (!used) {
			*number = n;
			return 0;
		}
	}
	return lb_fail(LB_E_REFUSED, "%s: its partition table has no free entry (%u in use)", t->path, count);
}

/* First fit of need sectors between lo and hi (inclusive); 0 when none. */
static uint64_t first_fit(struct span *used, unsigned n, uint64_t lo, uint64_t hi, uint64_t align, uint64_t need,
			  uint64_t *largest)
{
	qsort(used, n, sizeof *used, by_start);
	uint64_t cursor = lo;
	*largest = 0;
	for (unsigned i = 0; i <= n; i++) {
		uint64_t gap_end = i < n ? (used[i].start > 0 ? used[i].start - 1 : 0) : hi;
		if (gap_end > hi)
			gap_end = hi;
		uint64_t start = (cursor + align - 1) / align * align;
		if (start <= gap_end && gap_end - start + 1 > *largest)
			*largest = gap_end - start + 1;
		if (start <= gap_end && gap_end - start + 1 >= need)
			return start;
		if (i < n && used[i].end + 1 > cursor)
			cursor = used[i].end + 1;
	}
	return 0;
}

static int plan_on(struct lb_dev *t, const struct lb_disk *d, const struct lb_image_part *p,
		   struct lb_restore_plan *plan)
{
	if (d->table == LB_TABLE_NONE)
		return lb_fail(LB_E_REFUSED, "%s has no partition table to add a partition to", t->path);
	if (d->gpt_used_backup)
		return lb_fail(LB_E_REFUSED, "%s: its primary GPT is damaged; repair the table before adding to it",
			       t->path);
	unsigned ss = d->sector_size;
	uint64_t sectors = t->size / ss, align = ALIGN_BYTES / ss ? ALIGN_BYTES / ss : 1;
	uint64_t need = (p->size + ss - 1) / ss;
	uint64_t lo = d->table == LB_TABLE_GPT ? d->first_usable_lba : align;
	uint64_t hi = d->table == LB_TABLE_GPT ? d->last_usable_lba : sectors - 1;
	if (d->table == LB_TABLE_MBR && hi > 0xFFFFFFFFu)
		hi = 0xFFFFFFFFu;
	unsigned number = 0;
	int rc = free_number(t, d, &number);
	if (rc < 0)
		return rc;
	struct span *used = calloc(d->partition_count + 1, sizeof *used);
	if (!used)
		return lb_fail(LB_E_NOMEM, "out of memory");
	for (unsigned i = 0; i < d->partition_count; i++) {
		used[i].start = d->partitions[i].start_lba;
		used[i].end = d->partitions[i].start_lba + d->partitions[i].size_lba - 1;
	}
	uint64_t largest, start = first_fit(used, d->partition_count, lo, hi, align, need, &largest);
	free(used);
	if (!start)
		return lb_fail(LB_E_REFUSED,
			       "%s has no free region for partition %u: it needs %.1f MiB (%llu bytes), the largest free "
			       "region holds %.1f MiB",
			       t->path, p->number, (double)need * ss / MIB, (unsigned long long)p->size,
			       (double)largest * ss / MIB);
	plan->new_partition = true;
	plan->new_number = number;
	plan->new_table_type = d->table == LB_TABLE_GPT ? 2 : 1;
	plan->new_sector_size = ss;
	plan->new_start_lba = start;
	plan->new_size_lba = need;
	plan->target_offset = start * ss;
	plan->target_size = (start + need) * ss;
	return 0;
}

int lbi_plan_free_space(struct lb_dev *target, const struct lb_image_part *p, struct lb_restore_plan *plan)
{
	if (target->parent)
		return lb_fail(LB_E_USAGE, "%s: --into-free-space needs a whole disk, not a partition", target->path);
	struct lb_disk *d;
	int rc = lb_disk_read(target, &d);
	if (rc < 0)
		return rc;
	rc = plan_on(target, d, p, plan);
	lb_disk_free(d);
	return rc;
}
