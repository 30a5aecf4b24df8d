/* Opening an .lbi image: header and metadata are checked first; on a
 * seekable image the trailer and chunk index too, before anyone writes a
 * byte. Then chunk records are read in order (with the running digest) or
 * through the index. */
#include "reader.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "lifeboat/error.h"
#include "lifeboat/bytes.h"

static int read_digested(struct lb_image *img, void *buf, size_t len)
{
	int rc = img->in->ops->read(img->in, buf, len);
	if (rc == 0)
		XXH3_128bits_update(img->digest, buf, len);
	return rc;
}

static int read_header_meta(struct lb_image *img)
{
	uint64_t meta_len, meta_xxh3;
	int rc = read_digested(img, img->header, sizeof img->header);
	if (rc == 0)
		rc = lbi_decode_header(img->header, &img->info, &meta_len, &meta_xxh3);
	if (rc < 0)
		return rc;
	if (!(img->meta = malloc((size_t)meta_len)))
		return lb_fail(LB_E_NOMEM, "out of memory");
	img->meta_len = (size_t)meta_len;
	rc = read_digested(img, img->meta, img->meta_len);
	if (rc == 0 && XXH3_64bits(img->meta, img->meta_len) != meta_xxh3)
		rc = lb_fail(LB_E_CHECKSUM, "image metadata is damaged (checksum mismatch)");
	if (rc == 0)
		rc = lbi_decode_meta(img->meta, img->meta_len, &img->info);
	img->data_start = LBI_HEADER_SIZE + meta_len;
	return rc;
}

/* The chunks must hold exactly the bytes the metadata promises: a cut-off
 * tail with a rewritten index and trailer does not pass. */
static int check_raw_total(const struct lb_image *img, uint64_t chunks_total, uint64_t trailer_total)
{
	if (chunks_total != trailer_total || trailer_total != img->info.used_bytes)
		return lb_fail(LB_E_INVALID, "the chunks hold %llu bytes, the metadata says %llu (chunks missing?)",
			       (unsigned long long)chunks_total, (unsigned long long)img->info.used_bytes);
	return 0;
}

static int read_trailer_index(struct lb_image *img)
{
	struct lb_istream *in = img->in;
	uint8_t tbuf[LBI_TRAILER_SIZE];
	if (in->size < img->data_start + LBI_TRAILER_SIZE)
		return lb_fail(LB_E_TRUNCATED, "image trailer missing (image cut short?)");
	int rc = in->ops->read_at(in, tbuf, sizeof tbuf, in->size - LBI_TRAILER_SIZE);
	if (rc == 0)
		rc = lbi_decode_trailer(tbuf, &img->trailer);
	if (rc < 0)
		return rc;
	struct lbi_trailer *t = &img->trailer;
	if (t->index_offset < img->data_start || t->index_offset + t->index_len != in->size - LBI_TRAILER_SIZE)
		return lb_fail(LB_E_INVALID, "image trailer does not match the image size (volume missing?)");
	uint8_t *buf = malloc((size_t)t->index_len);
	img->index = calloc(t->chunk_count ? t->chunk_count : 1, sizeof *img->index);
	if (!buf || !img->index) {
		free(buf);
		return lb_fail(LB_E_NOMEM, "out of memory for the chunk index");
	}
	rc = in->ops->read_at(in, buf, (size_t)t->index_len, t->index_offset);
	if (rc == 0)
		rc = lbi_decode_index(buf, (size_t)t->index_len, t->chunk_count, img->info.source_size, img->index);
	free(buf);
	uint64_t total = 0;
	for (uint64_t i = 0; rc == 0 && i < t->chunk_count; i++) {
		if (img->index[i].record_offset < img->data_start || img->index[i].record_offset >= t->index_offset)
			rc = lb_fail(LB_E_INVALID, "chunk index points outside the image");
		total += img->index[i].raw_len;
	}
	if (rc == 0)
		rc = check_raw_total(img, total, t->raw_total);
	if (rc == 0) {
		img->info.has_trailer = true;
		img->info.chunk_count = t->chunk_count;
		img->info.image_bytes = in->size;
	}
	return rc;
}

int lb_image_open(const char *path, struct lb_image **out)
{
	return lb_image_open_opts(path, NULL, out);
}

int lb_image_open_opts(const char *path, const struct lb_open_opts *o, struct lb_image **out)
{
	*out = NULL;
	struct lb_image *img = calloc(1, sizeof *img);
	if (!img)
		return lb_fail(LB_E_NOMEM, "out of memory");
	int rc = lb_istream_open(path, &img->in);
	if (rc == 0 && !(img->digest = XXH3_createState()))
		rc = lb_fail(LB_E_NOMEM, "out of memory");
	if (rc == 0) {
		XXH3_128bits_reset(img->digest);
		img->seekable = img->in->ops->read_at != NULL;
		rc = read_header_meta(img);
	}
	if (rc == 0)
		rc = lbi_find_volumes(img, o);
	if (rc == 0 && img->seekable)
		rc = read_trailer_index(img);
	if (rc < 0) {
		const char *name = img->in ? img->in->path : path;
		if (strncmp(lb_error_message(), name, strlen(name)) != 0)
			lb_fail_context(rc, "%s", name);
		lb_image_close(img);
		return rc;
	}
	*out = img;
	return 0;
}

const struct lb_image_info *lb_image_get_info(const struct lb_image *img)
{
	return &img->info;
}

int lb_image_digest(const struct lb_image *img, char *out, size_t size)
{
	if (!img->info.has_trailer)
		return lb_fail(LB_E_NOTFOUND, "the image's digest is only known once it was read to the end");
	size_t len = (size_t)snprintf(out, size, "xxh128:");
	for (int i = 0; i < 16 && len + 2 < size; i++)
		len += (size_t)snprintf(out + len, size - len, "%02x", img->trailer.digest[i]);
	return 0;
}

bool lb_image_seekable(const struct lb_image *img)
{
	return img->seekable;
}

bool lb_image_locked(const struct lb_image *img)
{
	return img->info.encryption != LB_ENCRYPT_NONE && !img->crypt;
}

int lb_image_unlock(struct lb_image *img, const char *password)
{
	if (!lb_image_locked(img))
		return 0;
	struct lbi_crypt *c;
	uint8_t tag[LBI_TAG_SIZE];
	int rc = lbi_crypt_unlock(password, &img->info, &c);
	if (rc < 0)
		return lb_fail_context(rc, "%s", img->in->path);
	rc = lbi_crypt_header_auth(c, img->header, img->meta, img->meta_len, tag);
	if (rc == 0 && CRYPTO_memcmp(tag, img->info.kdf.auth, sizeof tag) != 0)
		rc = lb_fail(LB_E_CHECKSUM, "%s: image header or metadata was altered (authentication failed)",
			     img->in->path);
	for (uint64_t i = 0; rc == 0 && img->seekable && i < img->trailer.chunk_count; i++) {
		uint64_t pad;
		if ((rc = lbi_crypt_pad(c, i, &pad)) == 0)
			img->index[i].raw_xxh3 ^= pad;
	}
	if (rc < 0) {
		lbi_crypt_free(c);
		return rc;
	}
	img->crypt = c;
	return 0;
}

void lb_image_close(struct lb_image *img)
{
	if (!img)
		return;
	lb_istream_close(img->in);
	XXH3_freeState(img->digest);
	free(img->info.parts);
	free(img->index);
	free(img->meta);
	lbi_crypt_free(img->crypt);
	free(img);
}

size_t lbi_record_bytes(uint32_t chunk_size)
{
	return LBI_MAX_RUNS * sizeof(struct lbi_run) + lbi_chunk_head_size(LBI_MAX_RUNS) + chunk_size + LBI_TAG_SIZE;
}

int lbi_record_alloc(struct lbi_record *r, uint32_t chunk_size)
{
	memset(r, 0, sizeof *r);
	r->runs = malloc(LBI_MAX_RUNS * sizeof *r->runs);
	r->head = malloc(lbi_chunk_head_size(LBI_MAX_RUNS));
	r->stored = malloc((size_t)chunk_size + LBI_TAG_SIZE);
	if (!r->runs || !r->head || !r->stored) {
		lbi_record_free(r);
		return lb_fail(LB_E_NOMEM, "out of memory for chunk buffers");
	}
	return 0;
}

void lbi_record_free(struct lbi_record *r)
{
	free(r->runs);
	free(r->head);
	free(r->stored);
	memset(r, 0, sizeof *r);
}

/* Reads the rest of a chunk record whose first 4 bytes are in r->head. */
static int read_chunk_rest(struct lb_image *img, struct lbi_record *r,
			   int (*rd)(struct lb_image *, void *, size_t))
{
	int rc = rd(img, r->head + 4, LBI_CHUNK_FIXED - 4);
	if (rc == 0)
		rc = lbi_decode_chunk_fixed(r->head, img->info.chunk_size, img->crypt ? LBI_TAG_SIZE : 0, &r->h);
	if (rc == 0)
		rc = rd(img, r->head + LBI_CHUNK_FIXED, (size_t)r->h.run_count * LBI_RUN_SIZE);
	if (rc == 0)
		rc = lbi_decode_chunk_runs(r->head, &r->h, img->info.source_size, r->runs);
	if (rc == 0)
		rc = rd(img, r->stored, r->h.stored_len);
	uint64_t pad;
	if (rc == 0 && img->crypt && (rc = lbi_crypt_pad(img->crypt, r->h.seq, &pad)) == 0)
		r->h.raw_xxh3 ^= pad;
	return rc;
}

static int need_key(const struct lb_image *img)
{
	if (lb_image_locked(img))
		return lb_fail(LB_E_REFUSED, "%s: the image is encrypted; its password is needed", img->in->path);
	return 0;
}

static int check_digest(struct lb_image *img, const struct lbi_trailer *t)
{
	XXH128_canonical_t digest;
	XXH128_canonicalFromHash(&digest, XXH3_128bits_digest(img->digest));
	if (memcmp(digest.digest, t->digest, 16) != 0)
		return lb_fail(LB_E_CHECKSUM, "whole-image digest mismatch (the image was altered)");
	return 0;
}

static int read_index_trailer(struct lb_image *img, struct lbi_record *r, uint64_t chunks_seen)
{
	uint8_t fixed[LBI_INDEX_FIXED];
	memcpy(fixed, r->head, 4);
	int rc = read_digested(img, fixed + 4, sizeof fixed - 4);
	if (rc < 0)
		return rc;
	uint64_t count = lb_le64(fixed + 8);
	if (count != chunks_seen)
		return lb_fail(LB_E_INVALID, "chunk index lists %llu chunks, the image holds %llu",
			       (unsigned long long)count, (unsigned long long)chunks_seen);
	size_t len = lbi_index_size(count);
	uint8_t *buf = malloc(len);
	struct lbi_index_entry *entries = calloc(count ? count : 1, sizeof *entries);
	if (!buf || !entries)
		rc = lb_fail(LB_E_NOMEM, "out of memory for the chunk index");
	if (rc == 0) {
		memcpy(buf, fixed, sizeof fixed);
		rc = read_digested(img, buf + sizeof fixed, len - sizeof fixed);
	}
	if (rc == 0)
		rc = lbi_decode_index(buf, len, count, img->info.source_size, entries);
	free(buf);
	free(entries);
	uint8_t tbuf[LBI_TRAILER_SIZE];
	struct lbi_trailer t;
	if (rc == 0)
		rc = img->in->ops->read(img->in, tbuf, sizeof tbuf);
	if (rc == 0)
		rc = lbi_decode_trailer(tbuf, &t);
	if (rc == 0 && (t.chunk_count != count || t.index_len != len))
		rc = lb_fail(LB_E_INVALID, "image trailer does not match its index");
	if (rc == 0)
		rc = check_digest(img, &t);
	if (rc == 0)
		rc = check_raw_total(img, img->raw_seen, t.raw_total);
	return rc;
}

int lbi_read_next(struct lb_image *img, struct lbi_record *r, uint64_t *chunks_seen)
{
	r->offset = img->in->pos;
	int rc = need_key(img);
	if (rc == 0)
		rc = read_digested(img, r->head, 4);
	if (rc < 0)
		return rc;
	if (memcmp(r->head, LBI_MAGIC_INDEX, 4) == 0)
		return read_index_trailer(img, r, *chunks_seen);
	rc = read_chunk_rest(img, r, read_digested);
	if (rc == LB_E_INVALID || rc == LB_E_CHECKSUM)
		return lb_fail_context(rc, "chunk %llu (image byte %llu) is damaged", (unsigned long long)*chunks_seen,
				       (unsigned long long)r->offset);
	if (rc < 0)
		return rc;
	if (r->h.seq != *chunks_seen)
		return lb_fail(LB_E_INVALID, "chunk %llu found where chunk %llu was expected",
			       (unsigned long long)r->h.seq, (unsigned long long)*chunks_seen);
	(*chunks_seen)++;
	img->raw_seen += r->h.raw_len;
	return 1;
}

static int read_plain(struct lb_image *img, void *buf, size_t len)
{
	return img->in->ops->read(img->in, buf, len);
}

int lbi_read_at(struct lb_image *img, uint64_t i, struct lbi_record *r)
{
	const struct lbi_index_entry *e = &img->index[i];
	int rc = need_key(img);
	if (rc == 0)
		rc = lb_istream_seek(img->in, e->record_offset);
	r->offset = e->record_offset;
	if (rc == 0)
		rc = read_plain(img, r->head, 4);
	if (rc == 0 && (rc = read_chunk_rest(img, r, read_plain)) != 0 && (rc == LB_E_INVALID || rc == LB_E_CHECKSUM))
		rc = lb_fail_context(rc, "chunk %llu (image byte %llu) is damaged", (unsigned long long)i,
				     (unsigned long long)e->record_offset);
	if (rc == 0 && (r->h.seq != i || r->h.raw_xxh3 != e->raw_xxh3 || r->h.raw_len != e->raw_len ||
			r->runs[0].offset != e->span_start))
		rc = lb_fail(LB_E_INVALID, "chunk %llu does not match its index entry", (unsigned long long)i);
	return rc;
}
