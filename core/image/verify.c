/* lb_image_verify: reads the whole image in order, decodes and checks
 * every chunk in parallel, checks each chunk against the index read at
 * open (seekable images), and the whole-image digest at the end. */
#include <stdlib.h>
#include <string.h>

#include "chunk_decode.h"
#include "lifeboat/error.h"
#include "workers.h"

struct vfy_slot {
	struct lbi_record r;
	uint8_t *raw;
};

struct verify {
	struct lb_image *img;
	struct lbi_decoders *dec;
	struct vfy_slot *slots;
	unsigned nslots, nthreads;
	struct lb_workers w;
	uint64_t done;
	lb_progress_fn progress;
	void *progress_ctx;
	volatile sig_atomic_t *cancel;
};

static int verify_slot(void *p, unsigned worker, unsigned slot)
{
	struct verify *v = p;
	return lbi_decode_chunk(&v->dec[worker], &v->slots[slot].r, v->slots[slot].raw);
}

static int collect_oldest(struct verify *v)
{
	unsigned slot;
	int rc = lb_workers_collect(&v->w, &slot);
	lb_workers_release(&v->w);
	if (rc == 0 && v->progress) {
		v->done += v->slots[slot].r.h.raw_len;
		struct lb_progress p = { "verify", v->done, v->img->info.used_bytes };
		v->progress(&p, v->progress_ctx);
	}
	return rc;
}

/* A chunk read in order must be the one the index lists at that place. */
static int check_against_index(const struct lb_image *img, const struct lbi_record *r)
{
	if (!img->seekable)
		return 0;
	if (r->h.seq >= img->trailer.chunk_count)
		return lb_fail(LB_E_INVALID, "the image holds more chunks than its index");
	const struct lbi_index_entry *e = &img->index[r->h.seq];
	if (e->record_offset != r->offset || e->raw_xxh3 != r->h.raw_xxh3 ||
	    e->raw_len != r->h.raw_len || e->span_start != r->runs[0].offset)
		return lb_fail(LB_E_INVALID, "chunk %llu does not match its index entry", (unsigned long long)r->h.seq);
	return 0;
}

static int verify_all(struct verify *v)
{
	uint64_t seen = 0;
	int rc;
	size_t prefix = (size_t)v->img->data_start;
	if (!v->img->seekable && v->img->in->pos != prefix)
		return lb_fail(LB_E_USAGE, "this image stream was already read");
	/* a pipe's digest already holds header and metadata, read at open; a
	 * file is read again from its first byte */
	if (v->img->seekable) {
		if ((rc = lb_istream_seek(v->img->in, 0)) < 0)
			return rc;
		XXH3_128bits_reset(v->img->digest);
		v->img->raw_seen = 0;
		uint8_t skip[LBI_HEADER_SIZE];
		for (size_t off = 0; off < prefix; off += sizeof skip) {
			size_t n = prefix - off < sizeof skip ? prefix - off : sizeof skip;
			if ((rc = v->img->in->ops->read(v->img->in, skip, n)) < 0)
				return rc;
			XXH3_128bits_update(v->img->digest, skip, n);
		}
	}
	for (;;) {
		while (lb_workers_full(&v->w))
			if ((rc = collect_oldest(v)) < 0)
				return rc;
		struct vfy_slot *s = &v->slots[lb_workers_next_slot(&v->w)];
		if ((rc = v->cancel && *v->cancel ? lb_fail(LB_E_CANCELLED, "verify interrupted") : 0) < 0 ||
		    (rc = lbi_read_next(v->img, &s->r, &seen)) <= 0 || (rc = check_against_index(v->img, &s->r)) < 0)
			break;
		lb_workers_submit(&v->w);
	}
	/* chunks in flight come before a read failure: their errors come first */
	while (lb_workers_pending(&v->w)) {
		int chunk_rc = collect_oldest(v);
		if (chunk_rc < 0)
			return chunk_rc;
	}
	return rc;
}

int lb_image_verify(struct lb_image *img, lb_progress_fn progress, void *progress_ctx, volatile sig_atomic_t *cancel)
{
	struct verify v = { .img = img, .progress = progress, .progress_ctx = progress_ctx, .cancel = cancel };
	lb_workers_size(0, lbi_record_bytes(img->info.chunk_size) + img->info.chunk_size, &v.nthreads, &v.nslots);
	v.slots = calloc(v.nslots, sizeof *v.slots);
	v.dec = calloc(v.nthreads, sizeof *v.dec);
	int rc = v.slots && v.dec ? 0 : lb_fail(LB_E_NOMEM, "out of memory");
	for (unsigned i = 0; rc == 0 && i < v.nslots; i++) {
		rc = lbi_record_alloc(&v.slots[i].r, img->info.chunk_size);
		if (rc == 0 && !(v.slots[i].raw = malloc(img->info.chunk_size)))
			rc = lb_fail(LB_E_NOMEM, "out of memory");
	}
	for (unsigned i = 0; rc == 0 && i < v.nthreads; i++)
		rc = lbi_decoders_init(&v.dec[i], img->crypt);
	if (rc == 0)
		rc = lb_workers_start(&v.w, v.nthreads, v.nslots, verify_slot, &v);
	if (rc == 0)
		rc = verify_all(&v);
	lb_workers_stop(&v.w);
	for (unsigned i = 0; v.slots && i < v.nslots; i++) {
		lbi_record_free(&v.slots[i].r);
		free(v.slots[i].raw);
	}
	for (unsigned i = 0; v.dec && i < v.nthreads; i++)
		lbi_decoders_free(&v.dec[i]);
	free(v.slots);
	free(v.dec);
	return rc;
}
