/* The restore engine: chunk records are read in order (from a pipe) or
 * through the index, decoded and checked by the worker pool, and written
 * to the target strictly in order; nothing of a chunk is written before
 * its checksum matched. On a bad chunk it stops and names the range that
 * was not restored. --resume skips chunks already on the target. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chunk_decode.h"
#include "lifeboat/error.h"
#include "restore_post.h"
#include "workers.h"

#define ZERO_BLOCK (1u << 20)

struct rst_slot {
	struct lbi_record r;
	uint8_t *raw;
	bool skip;
};

struct restore {
	struct lb_image *img;
	struct lb_dev *target;
	const struct lb_restore_opts *o;
	const struct lb_restore_plan *plan;
	struct lbi_decoders *dec;
	struct rst_slot *slots;
	unsigned nslots, nthreads;
	struct lb_workers w;
	uint64_t lo, hi;          /* source range restored */
	uint64_t clip;            /* source offsets at or past this do not fit the target */
	uint64_t written_end;     /* source offset up to which the target is complete */
	uint64_t done;
	uint8_t *zeros;
};

static uint64_t to_target(const struct restore *r, uint64_t src_off)
{
	return src_off - r->plan->source_offset + r->plan->target_offset;
}

/* Reads what the target holds for a chunk's runs into raw. */
static int read_target(struct restore *r, const struct lbi_record *rec, uint8_t *raw)
{
	for (uint32_t i = 0; i < rec->h.run_count; i++) {
		const struct lbi_run *run = &rec->runs[i];
		if (run->offset + run->len > r->clip)
			return 1;
		int rc = lb_dev_read(r->target, raw, (size_t)run->len, to_target(r, run->offset));
		if (rc < 0)
			return rc;
		raw += run->len;
	}
	return 0;
}

static int restore_slot(void *p, unsigned worker, unsigned slot)
{
	struct restore *r = p;
	struct rst_slot *s = &r->slots[slot];
	s->skip = false;
	if (r->o->resume) {
		int rc = read_target(r, &s->r, s->raw);
		if (rc < 0)
			return rc;
		if (rc == 0 && XXH3_64bits(s->raw, s->r.h.raw_len) == s->r.h.raw_xxh3) {
			s->skip = true;
			return 0;
		}
	}
	return lbi_decode_chunk(&r->dec[worker], &s->r, s->raw);
}

/* Zeroes or discards [from, to) of the source range on the target. */
static int fill_range(struct restore *r, uint64_t from, uint64_t to)
{
	if (from >= to)
		return 0;
	if (r->o->discard)
		return lb_dev_discard(r->target, to_target(r, from), to - from);
	for (uint64_t off = from; off < to; off += ZERO_BLOCK) {
		size_t n = to - off < ZERO_BLOCK ? (size_t)(to - off) : ZERO_BLOCK;
		int rc = lb_dev_write(r->target, r->zeros, n, to_target(r, off));
		if (rc < 0)
			return rc;
	}
	return 0;
}

/* What the image does not hold in [from, to): zeroed or discarded when
 * asked, except inside partitions left out of the capture, whose bytes on
 * the target are not the image's to touch. */
static int fill_gap(struct restore *r, uint64_t from, uint64_t to)
{
	if (to > r->clip)
		to = r->clip;
	if (from >= to || (!r->o->fill_free && !r->o->discard))
		return 0;
	const struct lb_image_info *info = &r->img->info;
	int rc = 0;
	for (unsigned i = 0; rc == 0 && i < info->part_count && from < to; i++) {
		const struct lb_image_part *p = &info->parts[i];
		if (!(p->flags & LB_IMAGE_PART_NOT_CAPTURED) || p->offset + p->size <= from || p->offset >= to)
			continue;
		rc = fill_range(r, from, p->offset > from ? p->offset : from);
		from = p->offset + p->size;
	}
	return rc == 0 && from < to ? fill_range(r, from, to) : rc;
}

static int write_slot(struct restore *r, struct rst_slot *s)
{
	const uint8_t *src = s->raw;
	int rc = 0;
	for (uint32_t i = 0; rc == 0 && i < s->r.h.run_count; i++) {
		const struct lbi_run *run = &s->r.runs[i];
		rc = fill_gap(r, r->written_end, run->offset);
		uint64_t len = run->len;
		if (run->offset >= r->clip)
			len = 0;
		else if (len > r->clip - run->offset)
			len = r->clip - run->offset;
		if (rc == 0 && len && !s->skip)
			rc = lb_dev_write(r->target, src, (size_t)len, to_target(r, run->offset));
		src += run->len;
		if (rc == 0)
			r->written_end = run->offset + run->len;
	}
	return rc;
}

static int write_oldest(struct restore *r)
{
	unsigned slot;
	int rc = lb_workers_collect(&r->w, &slot);
	if (rc == 0)
		rc = write_slot(r, &r->slots[slot]);
	lb_workers_release(&r->w);
	if (rc == 0 && r->o->progress) {
		r->done += r->slots[slot].r.h.raw_len;
		struct lb_progress p = { "restore", r->done, r->plan->write_bytes };
		r->o->progress(&p, r->o->progress_ctx);
	}
	return rc;
}

static int next_slot(struct restore *r, struct rst_slot **out)
{
	while (lb_workers_full(&r->w)) {
		int rc = write_oldest(r);
		if (rc < 0)
			return rc;
	}
	*out = &r->slots[lb_workers_next_slot(&r->w)];
	return 0;
}

static bool in_range(const struct restore *r, uint64_t span_start, uint64_t span_end)
{
	return span_start >= r->lo && span_end <= r->hi;
}

static int cancelled(const struct restore *r)
{
	if (r->o->cancel && *r->o->cancel)
		return lb_fail(LB_E_CANCELLED, "restore interrupted");
	return 0;
}

/* Writes the chunks still in flight (all before a read failure), then
 * returns the read result. */
static int drain(struct restore *r, int read_rc)
{
	while (lb_workers_pending(&r->w)) {
		int rc = write_oldest(r);
		if (rc < 0)
			return rc;
	}
	return read_rc;
}

static int run_from_stream(struct restore *r)
{
	uint64_t seen = 0;
	int read_rc;
	for (;;) {
		struct rst_slot *s;
		int rc = next_slot(r, &s);
		if (rc < 0)
			return rc;
		if ((read_rc = cancelled(r)) < 0 || (read_rc = lbi_read_next(r->img, &s->r, &seen)) <= 0)
			break;
		const struct lbi_run *last = &s->r.runs[s->r.h.run_count - 1];
		if (in_range(r, s->r.runs[0].offset, last->offset + last->len))
			lb_workers_submit(&r->w);
	}
	return drain(r, read_rc);
}

static int run_from_index(struct restore *r)
{
	int read_rc = 0;
	for (uint64_t i = 0; read_rc == 0 && i < r->img->trailer.chunk_count; i++) {
		const struct lbi_index_entry *e = &r->img->index[i];
		if (!in_range(r, e->span_start, e->span_end))
			continue;
		struct rst_slot *s;
		int rc = next_slot(r, &s);
		if (rc < 0)
			return rc;
		if ((read_rc = cancelled(r)) == 0 && (read_rc = lbi_read_at(r->img, i, &s->r)) == 0)
			lb_workers_submit(&r->w);
	}
	return drain(r, read_rc);
}

/* "partition 2 bytes A-B" for the source range [from, to). */
static void describe_range(const struct restore *r, uint64_t from, uint64_t to, char *out, size_t len)
{
	const struct lb_image_info *info = &r->img->info;
	for (unsigned i = 0; i < info->part_count; i++) {
		const struct lb_image_part *p = &info->parts[i];
		if (from >= p->offset && from < p->offset + p->size) {
			uint64_t end = to < p->offset + p->size ? to : p->offset + p->size;
			if (info->kind == LB_IMAGE_FS)
				snprintf(out, len, "file system bytes %llu-%llu", (unsigned long long)(from - p->offset),
					 (unsigned long long)(end - p->offset - 1));
			else
				snprintf(out, len, "partition %u bytes %llu-%llu%s", p->number,
					 (unsigned long long)(from - p->offset), (unsigned long long)(end - p->offset - 1),
					 end < to ? " and everything after it" : "");
			return;
		}
	}
	snprintf(out, len, "disk bytes %llu-%llu", (unsigned long long)from, (unsigned long long)(to - 1));
}

static int alloc_restore(struct restore *r)
{
	lb_workers_size(r->o->threads, lbi_record_bytes(r->img->info.chunk_size) + r->img->info.chunk_size, &r->nthreads,
			&r->nslots);
	r->slots = calloc(r->nslots, sizeof *r->slots);
	r->dec = calloc(r->nthreads, sizeof *r->dec);
	r->zeros = calloc(1, ZERO_BLOCK);
	if (!r->slots || !r->dec || !r->zeros)
		return lb_fail(LB_E_NOMEM, "out of memory");
	for (unsigned i = 0; i < r->nslots; i++) {
		int rc = lbi_record_alloc(&r->slots[i].r, r->img->info.chunk_size);
		if (rc < 0)
			return rc;
		if (!(r->slots[i].raw = malloc(r->img->info.chunk_size)))
			return lb_fail(LB_E_NOMEM, "out of memory for chunk buffers");
	}
	for (unsigned i = 0; i < r->nthreads; i++) {
		int rc = lbi_decoders_init(&r->dec[i], r->img->crypt);
		if (rc < 0)
			return rc;
	}
	return lb_workers_start(&r->w, r->nthreads, r->nslots, restore_slot, r);
}

static void free_restore(struct restore *r)
{
	lb_workers_stop(&r->w);
	for (unsigned i = 0; r->slots && i < r->nslots; i++) {
		lbi_record_free(&r->slots[i].r);
		free(r->slots[i].raw);
	}
	for (unsigned i = 0; r->dec && i < r->nthreads; i++)
		lbi_decoders_free(&r->dec[i]);
	free(r->slots);
	free(r->dec);
	free(r->zeros);
}

int lb_image_restore(struct lb_image *img, struct lb_dev *target, const struct lb_restore_opts *o,
		     const struct lb_restore_plan *plan)
{
	if (o->verify_first) {
		int rc = lb_image_verify(img, o->progress, o->progress_ctx, o->cancel);
		if (rc < 0)
			return rc;
	}
	struct restore r = { .img = img, .target = target, .o = o, .plan = plan };
	r.lo = plan->source_offset;
	r.hi = plan->source_offset + plan->source_size;
	r.clip = plan->source_offset + (plan->target_size - plan->target_offset);
	if (r.clip > r.hi)
		r.clip = r.hi;
	r.written_end = r.lo;
	int rc = alloc_restore(&r);
	if (rc == 0)
		rc = img->seekable ? run_from_index(&r) : run_from_stream(&r);
	if (rc == 0)
		rc = fill_gap(&r, r.written_end, r.hi);
	int flush_rc = lb_dev_flush(target);
	if (rc == 0)
		rc = flush_rc;
	if (rc == 0)
		rc = lbi_restore_post(img, target, o, plan);
	if (rc < 0 && r.written_end < r.hi) {
		char range[160], msg[768];
		describe_range(&r, r.written_end, r.hi, range, sizeof range);
		snprintf(msg, sizeof msg, "%s", lb_error_message());
		lb_fail(rc, "%s; not restored: %s", msg, range);
	}
	free_restore(&r);
	return rc;
}
