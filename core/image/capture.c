/* The capture engine: cuts the source's used map into chunks of at most
 * chunk_size bytes, lets the worker pool read, hash (XXH3) and compress
 * them, and writes the records in order through the .lbi writer. */
#include "capture.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>
#include <xxhash.h>

#include "codec.h"
#include "crypt.h"
#include "lbi_writer.h"
#include "lifeboat/error.h"
#include "lifeboat/version.h"
#include "workers.h"

struct cap_slot {
	struct lbi_chunk_head h;
	struct lbi_run *runs;
	uint8_t *raw, *stored;   /* chunk_size + LBI_TAG_SIZE bytes each */
	uint8_t *head;           /* the encoded head, authenticated with the bytes */
};

struct capture {
	struct lb_dev *src;
	const struct lb_capture_opts *o;
	const struct lb_codec_ops *codec;
	struct lbi_crypt *crypt;   /* encrypted images */
	void **ctx;
	struct cap_slot *slots;
	unsigned nslots;
	uint32_t chunk_size, max_runs;
	struct lb_workers w;
	struct lbi_writer wr;
	uint64_t seq, done, total;
};

/* Encrypts the stored bytes in place, tag after them; the checksum of the
 * plaintext is hidden under the chunk's pad. */
static int seal_slot(struct capture *c, struct cap_slot *s)
{
	uint64_t pad;
	int rc = lbi_crypt_pad(c->crypt, s->h.seq, &pad);
	if (rc < 0)
		return rc;
	uint32_t len = s->h.stored_len;
	s->h.raw_xxh3 ^= pad;
	s->h.stored_len += LBI_TAG_SIZE;
	lbi_encode_chunk_head(&s->h, s->runs, s->head);
	return lbi_crypt_seal(c->crypt, s->h.seq, s->head, s->h.run_count,
			      s->h.codec == LB_CODEC_NONE ? s->raw : s->stored, len);
}

static int compress_slot(void *p, unsigned worker, unsigned slot)
{
	struct capture *c = p;
	struct cap_slot *s = &c->slots[slot];
	uint8_t *dst = s->raw;
	for (uint32_t i = 0; i < s->h.run_count; i++) {
		int rc = lb_dev_read(c->src, dst, (size_t)s->runs[i].len, s->runs[i].offset);
		if (rc < 0)
			return rc;
		dst += s->runs[i].len;
	}
	s->h.raw_xxh3 = XXH3_64bits(s->raw, s->h.raw_len);
	size_t n = 0;
	int rc = c->codec->compress(c->ctx[worker], s->raw, s->h.raw_len, s->stored, s->h.raw_len - 1, &n);
	if (rc < 0)
		return rc;
	s->h.codec = rc ? (uint32_t)c->codec->id : LB_CODEC_NONE;
	s->h.stored_len = rc ? (uint32_t)n : s->h.raw_len;
	return c->crypt ? seal_slot(c, s) : 0;
}

static void report(struct capture *c)
{
	if (c->o->progress) {
		struct lb_progress p = { "capture", c->done, c->total };
		c->o->progress(&p, c->o->progress_ctx);
	}
}

static int write_oldest(struct capture *c)
{
	unsigned slot;
	int rc = lb_workers_collect(&c->w, &slot);
	struct cap_slot *s = &c->slots[slot];
	if (rc == 0)
		rc = lbi_writer_chunk(&c->wr, &s->h, s->runs, s->h.codec == LB_CODEC_NONE ? s->raw : s->stored);
	lb_workers_release(&c->w);
	if (rc == 0) {
		c->done += s->h.raw_len;
		report(c);
	}
	return rc;
}

/* The slot being filled: the next free one, after writing out the oldest. */
static int open_slot(struct capture *c, struct cap_slot **out)
{
	while (lb_workers_full(&c->w)) {
		int rc = write_oldest(c);
		if (rc < 0)
			return rc;
	}
	*out = &c->slots[lb_workers_next_slot(&c->w)];
	return 0;
}

static int flush_chunk(struct capture *c, struct cap_slot *s)
{
	if (s->h.run_count == 0)
		return 0;
	if (c->o->cancel && *c->o->cancel)
		return lb_fail(LB_E_CANCELLED, "capture interrupted");
	s->h.seq = c->seq++;
	lb_workers_submit(&c->w);
	return 0;
}

static int chunk_all(struct capture *c, const struct capture_plan *plan)
{
	struct cap_slot *s = NULL;
	size_t nb = 0;
	int rc = 0;
	for (size_t i = 0; rc == 0 && i < plan->used.count; i++) {
		uint64_t pos = plan->used.v[i].start, end = pos + plan->used.v[i].len;
		while (rc == 0 && pos < end) {
			while (nb < plan->nbounds && plan->bounds[nb] <= pos) {
				if (s && (rc = flush_chunk(c, s)) == 0)
					s = NULL;
				nb++;
			}
			if (rc == 0 && !s && (rc = open_slot(c, &s)) == 0)
				memset(&s->h, 0, sizeof s->h);
			if (rc < 0)
				break;
			uint64_t limit = end;
			if (nb < plan->nbounds && plan->bounds[nb] < limit)
				limit = plan->bounds[nb];
			uint64_t take = limit - pos;
			if (take > c->chunk_size - s->h.raw_len)
				take = c->chunk_size - s->h.raw_len;
			s->runs[s->h.run_count].offset = pos;
			s->runs[s->h.run_count].len = take;
			s->h.run_count++;
			s->h.raw_len += (uint32_t)take;
			pos += take;
			if ((s->h.raw_len == c->chunk_size || s->h.run_count == c->max_runs) && (rc = flush_chunk(c, s)) == 0)
				s = NULL;
		}
	}
	if (rc == 0 && s)
		rc = flush_chunk(c, s);
	while (rc == 0 && lb_workers_pending(&c->w))
		rc = write_oldest(c);
	return rc;
}

/* Bytes one slot's buffers take (alloc_slots allocates exactly these). */
static size_t slot_bytes(const struct capture *c)
{
	return c->max_runs * (sizeof(struct lbi_run) + LBI_RUN_SIZE) + 2 * ((size_t)c->chunk_size + LBI_TAG_SIZE);
}

static int alloc_slots(struct capture *c, unsigned nthreads)
{
	c->slots = calloc(c->nslots, sizeof *c->slots);
	c->ctx = calloc(nthreads, sizeof *c->ctx);
	if (!c->slots || !c->ctx)
		return lb_fail(LB_E_NOMEM, "out of memory");
	for (unsigned i = 0; i < c->nslots; i++) {
		struct cap_slot *s = &c->slots[i];
		s->runs = malloc(c->max_runs * sizeof *s->runs);
		s->raw = malloc((size_t)c->chunk_size + LBI_TAG_SIZE);
		s->stored = malloc((size_t)c->chunk_size + LBI_TAG_SIZE);
		s->head = malloc(lbi_chunk_head_size(c->max_runs));
		if (!s->runs || !s->raw || !s->stored || !s->head)
			return lb_fail(LB_E_NOMEM, "out of memory for chunk buffers");
	}
	for (unsigned i = 0; i < nthreads; i++)
		if (!(c->ctx[i] = c->codec->ctx_new(c->o->level)))
			return lb_fail(LB_E_NOMEM, "out of memory for the codec");
	return 0;
}

static void free_capture(struct capture *c, unsigned nthreads)
{
	lb_workers_stop(&c->w);
	for (unsigned i = 0; c->slots && i < c->nslots; i++) {
		free(c->slots[i].runs);
		free(c->slots[i].raw);
		free(c->slots[i].stored);
		free(c->slots[i].head);
	}
	for (unsigned i = 0; c->ctx && i < nthreads; i++)
		c->codec->ctx_free(c->ctx[i]);
	free(c->slots);
	free(c->ctx);
	lbi_writer_free(&c->wr);
	lbi_crypt_free(c->crypt);
}

static void fill_header_fields(struct lb_image_info *info, const struct lb_capture_opts *o, uint32_t chunk_size)
{
	info->version_major = 1;
	info->version_minor = 2;
	if (getrandom(info->uuid, sizeof info->uuid, 0) != sizeof info->uuid) {
		uint64_t seed[2] = { (uint64_t)time(NULL), (uint64_t)getpid() };
		memcpy(info->uuid, seed, sizeof seed);
	}
	info->uuid[6] = (uint8_t)((info->uuid[6] & 0x0F) | 0x40);
	info->uuid[8] = (uint8_t)((info->uuid[8] & 0x3F) | 0x80);
	info->created = (uint64_t)time(NULL);
	snprintf(info->tool, sizeof info->tool, "lifeboat %s", lb_version());
	snprintf(info->comment, sizeof info->comment, "%s", o->comment ? o->comment : "");
	info->codec = o->codec;
	info->level = o->level;
	info->chunk_size = chunk_size;
	info->volume_size = o->split_size;
}

static void remove_volumes(const char *path)
{
	for (unsigned n = 1;; n++) {
		char *name = lb_volume_name(path, n);
		int gone = name ? unlink(name) : -1;
		free(name);
		if (gone < 0)
			break;
	}
}

int lbi_capture_run(struct lb_dev *src, const char *path, const struct lb_capture_opts *o,
		    struct capture_plan *plan)
{
	struct capture c = { .src = src, .o = o, .codec = lb_codec_get(o->codec) };
	c.chunk_size = o->chunk_size ? o->chunk_size : LBI_DEFAULT_CHUNK;
	if (!c.codec)
		return lb_fail(LB_E_USAGE, "unknown codec %d", o->codec);
	if (c.chunk_size < 65536 || c.chunk_size > LBI_MAX_CHUNK)
		return lb_fail(LB_E_USAGE, "chunk size must be between 64 KiB and 64 MiB");
	if (o->split_size && o->split_size < LBI_MIN_VOLUME)
		return lb_fail(LB_E_USAGE, "split volumes must hold at least 1 MiB");
	c.max_runs = c.chunk_size / 512 < LBI_MAX_RUNS ? c.chunk_size / 512 : LBI_MAX_RUNS;
	fill_header_fields(&plan->info, o, c.chunk_size);
	plan->info.used_bytes = lb_extents_total(&plan->used);
	c.total = plan->info.used_bytes;
	unsigned nthreads;
	lb_workers_size(o->threads, slot_bytes(&c), &nthreads, &c.nslots);
	struct lb_ostream *out = NULL;
	/* the key first: scrypt's memory is given back before the buffers are taken */
	int rc = o->password ? lbi_crypt_new(o->password, o->kdf_memory, &plan->info, &c.crypt) : 0;
	if (rc == 0)
		rc = alloc_slots(&c, nthreads);
	if (rc == 0)
		rc = lb_workers_start(&c.w, nthreads, c.nslots, compress_slot, &c);
	if (rc == 0)
		rc = lb_ostream_open(path, o->split_size, plan->info.uuid, &out);
	if (rc == 0)
		rc = lbi_writer_begin(&c.wr, out, &plan->info, c.crypt);
	if (rc == 0)
		rc = chunk_all(&c, plan);
	if (rc == 0)
		rc = lbi_writer_finish(&c.wr);
	free_capture(&c, nthreads);
	lb_ostream_close(out);
	if (rc < 0 && out && strcmp(path, "-") != 0)
		remove_volumes(path);
	return rc;
}

void lbi_plan_free(struct capture_plan *plan)
{
	free(plan->info.parts);
	lb_extents_free(&plan->used);
	free(plan->bounds);
	memset(plan, 0, sizeof *plan);
}

int lb_image_capture(struct lb_dev *src, const char *path, const struct lb_capture_opts *o)
{
	struct capture_plan plan;
	memset(&plan, 0, sizeof plan);
	int rc = lbi_plan_disk(src, o, &plan);
	if (rc == 1 && o->partition_count)
		rc = lb_fail(LB_E_USAGE, "%s holds no partition table: --partitions needs a whole disk", src->path);
	if (rc == 1) {
		lbi_plan_free(&plan);
		rc = lbi_plan_fs(src, o->sector_by_sector, &plan);
	}
	if (rc == 0)
		rc = lbi_capture_run(src, path, o, &plan);
	lbi_plan_free(&plan);
	return rc;
}
