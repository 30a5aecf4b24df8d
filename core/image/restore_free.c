/* Plans a partition restore into free space of a disk: the first region of
 * the disk's partition table (GPT usable area, or an MBR disk after its
 * first MiB) where the partition fits, 1 MiB aligned, and a free entry
 * (GPT slot, MBR primary) for it. On MBR, when no primary entry or region
 * outside the extended partition will do, a logical partition at the end
 * of the chain, in free space inside the extended partition (its EBR 1 MiB
 * before it, as fdisk lays them out). Nothing is written here. */
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

/* The first free entry number (0: none): GPT slots 1..count, MBR primaries 1..4. */
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
	*number = 0;
	return 0;
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

static const struct lb_partition *extended_of(const struct lb_disk *d)
{
	for (unsigned i = 0; i < d->partition_count; i++)
		if (d->partitions[i].is_extended)
			return &d->partitions[i];
	return NULL;
}

/* A primary (GPT slot or MBR primary) in the first fitting region; start 0
 * when none fits. */
static int fit_primary(struct lb_dev *t, const struct lb_disk *d, uint64_t need, uint64_t align,
		       struct lb_restore_plan *plan, uint64_t *largest)
{
	uint64_t sectors = t->size / d->sector_size;
	uint64_t lo = d->table == LB_TABLE_GPT ? d->first_usable_lba : align;
	uint64_t hi = d->table == LB_TABLE_GPT ? d->last_usable_lba : sectors - 1;
	if (d->table == LB_TABLE_MBR && hi > 0xFFFFFFFFu)
		hi = 0xFFFFFFFFu;
	*largest = 0;
	int rc = free_number(t, d, &plan->new_number);
	if (rc < 0 || !plan->new_number)
		return rc;
	struct span *used = calloc(d->partition_count + 1, sizeof *used);
	if (!used)
		return lb_fail(LB_E_NOMEM, "out of memory");
	for (unsigned i = 0; i < d->partition_count; i++) {
		used[i].start = d->partitions[i].start_lba;
		used[i].end = d->partitions[i].start_lba + d->partitions[i].size_lba - 1;
	}
	plan->new_start_lba = first_fit(used, d->partition_count, lo, hi, align, need, largest);
	free(used);
	return 0;
}

/* A logical partition at the end of the EBR chain; new_start_lba 0 when
 * none fits. Each logical takes its EBR and everything up to its end. */
static int fit_logical(const struct lb_disk *d, const struct lb_partition *ext, uint64_t need, uint64_t align,
		       struct lb_restore_plan *plan, uint64_t *largest)
{
	struct span *used = calloc(d->partition_count + 1, sizeof *used);
	if (!used)
		return lb_fail(LB_E_NOMEM, "out of memory");
	unsigned n = 0, last_number = 4;
	uint64_t last_ebr = 0;
	used[n++] = (struct span){ ext->start_lba, ext->start_lba };
	for (unsigned i = 0; i < d->partition_count; i++) {
		const struct lb_partition *p = &d->partitions[i];
		if (!p->is_logical)
			continue;
		used[n++] = (struct span){ p->ebr_lba, p->start_lba + p->size_lba - 1 };
		if (p->number > last_number) {
			last_number = p->number;
			last_ebr = p->ebr_lba;
		}
	}
	uint64_t lo = ext->start_lba, hi = ext->start_lba + ext->size_lba - 1;
	if (hi > 0xFFFFFFFFu)
		hi = 0xFFFFFFFFu;
	/* the first logical lives in the extended partition's own first EBR */
	uint64_t extra = last_ebr ? align : 0;
	uint64_t start = first_fit(used, n, lo, hi, align, need + extra, largest);
	free(used);
	*largest = *largest > extra ? *largest - extra : 0;
	plan->new_start_lba = start ? start + extra : 0;
	plan->new_logical = true;
	plan->new_number = last_number + 1;
	plan->new_ebr_lba = last_ebr ? start : ext->start_lba;
	plan->link_ebr_lba = last_ebr;
	plan->extended_lba = ext->start_lba;
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
	uint64_t align = ALIGN_BYTES / ss ? ALIGN_BYTES / ss : 1;
	uint64_t need = (p->size + ss - 1) / ss;
	uint64_t largest = 0, in_extended = 0;
	int rc = fit_primary(t, d, need, align, plan, &largest);
	bool no_entry = rc == 0 && !plan->new_number;
	const struct lb_partition *ext = d->table == LB_TABLE_MBR ? extended_of(d) : NULL;
	if (rc == 0 && !plan->new_start_lba && ext)
		rc = fit_logical(d, ext, need, align, plan, &in_extended);
	if (rc < 0)
		return rc;
	if (no_entry && !ext)
		return lb_fail(LB_E_REFUSED, "%s: its partition table has no free entry", t->path);
	if (!plan->new_start_lba) {
		if (in_extended > largest)
			largest = in_extended;
		return lb_fail(LB_E_REFUSED,
			       "%s has no free region for partition %u: it needs %.1f MiB (%llu bytes), the largest free "
			       "region holds %.1f MiB",
			       t->path, p->number, (double)need * ss / MIB, (unsigned long long)p->size,
			       (double)largest * ss / MIB);
	}
	plan->new_partition = true;
	plan->new_table_type = d->table == LB_TABLE_GPT ? 2 : 1;
	plan->new_sector_size = ss;
	plan->new_size_lba = need;
	plan->target_offset = plan->new_start_lba * ss;
	plan->target_size = (plan->new_start_lba + need) * ss;
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
