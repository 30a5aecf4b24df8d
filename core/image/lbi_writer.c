/* The .lbi stream writer: header and metadata first, then chunk records in
 * order, then the chunk index and the trailer with the whole-image digest,
 * so the image can be read once from a pipe or at random through the index. */
#include "lbi_writer.h"

#include <stdlib.h>
#include <string.h>

#include "lifeboat/error.h"

static int put(struct lbi_writer *w, const void *buf, size_t len)
{
	int rc = w->out->ops->write(w->out, buf, len);
	if (rc < 0)
		return rc;
	XXH3_128bits_update(w->digest, buf, len);
	w->pos += len;
	return 0;
}

int lbi_writer_begin(struct lbi_writer *w, struct lb_ostream *out, const struct lb_image_info *info,
		     const struct lbi_crypt *crypt)
{
	memset(w, 0, sizeof *w);
	w->out = out;
	w->digest = XXH3_createState();
	size_t meta_len = lbi_meta_size(info->part_count);
	uint8_t *meta = malloc(meta_len);
	if (!w->digest || !meta) {
		free(meta);
		return lb_fail(LB_E_NOMEM, "out of memory");
	}
	XXH3_128bits_reset(w->digest);
	lbi_encode_meta(info, meta);
	uint8_t header[LBI_HEADER_SIZE];
	uint64_t meta_xxh3 = XXH3_64bits(meta, meta_len);
	lbi_encode_header(info, meta_len, meta_xxh3, header);
	int rc = 0;
	if (crypt) {
		struct lb_image_info authed = *info;
		rc = lbi_crypt_header_auth(crypt, header, meta, meta_len, authed.kdf.auth);
		lbi_encode_header(&authed, meta_len, meta_xxh3, header);
	}
	if (rc == 0)
		rc = put(w, header, sizeof header);
	if (rc == 0)
		rc = put(w, meta, meta_len);
	free(meta);
	return rc;
}

int lbi_writer_chunk(struct lbi_writer *w, const struct lbi_chunk_head *h, const struct lbi_run *runs,
		     const void *stored)
{
	size_t head_len = lbi_chunk_head_size(h->run_count);
	if (head_len > w->head_cap) {
		uint8_t *p = realloc(w->head_buf, head_len);
		if (!p)
			return lb_fail(LB_E_NOMEM, "out of memory");
		w->head_buf = p;
		w->head_cap = head_len;
	}
	if (w->count == w->cap) {
		uint64_t cap = w->cap ? w->cap * 2 : 1024;
		struct lbi_index_entry *p = realloc(w->index, cap * sizeof *p);
		if (!p)
			return lb_fail(LB_E_NOMEM, "out of memory for the chunk index");
		w->index = p;
		w->cap = cap;
	}
	struct lbi_index_entry *e = &w->index[w->count];
	memset(e, 0, sizeof *e);
	e->record_offset = w->pos;
	e->span_start = runs[0].offset;
	e->span_end = runs[h->run_count - 1].offset + runs[h->run_count - 1].len;
	e->raw_len = h->raw_len;
	e->stored_len = h->stored_len;
	e->run_count = h->run_count;
	e->raw_xxh3 = h->raw_xxh3;
	lbi_encode_chunk_head(h, runs, w->head_buf);
	int rc = put(w, w->head_buf, head_len);
	if (rc == 0)
		rc = put(w, stored, h->stored_len);
	if (rc == 0) {
		w->count++;
		w->raw_total += h->raw_len;
	}
	return rc;
}

int lbi_writer_finish(struct lbi_writer *w)
{
	size_t len = lbi_index_size(w->count);
	uint8_t *buf = malloc(len);
	if (!buf)
		return lb_fail(LB_E_NOMEM, "out of memory for the chunk index");
	struct lbi_trailer t = { .index_offset = w->pos, .index_len = len, .chunk_count = w->count,
				 .raw_total = w->raw_total };
	lbi_encode_index(w->index, w->count, buf);
	int rc = put(w, buf, len);
	free(buf);
	if (rc < 0)
		return rc;
	XXH128_canonical_t digest;
	XXH128_canonicalFromHash(&digest, XXH3_128bits_digest(w->digest));
	memcpy(t.digest, digest.digest, 16);
	uint8_t trailer[LBI_TRAILER_SIZE];
	lbi_encode_trailer(&t, trailer);
	rc = put(w, trailer, sizeof trailer);
	return rc < 0 ? rc : w->out->ops->finish(w->out);
}

void lbi_writer_free(struct lbi_writer *w)
{
	XXH3_freeState(w->digest);
	free(w->index);
	free(w->head_buf);
	memset(w, 0, sizeof *w);
}
