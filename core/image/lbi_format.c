/* Encoders and checked decoders of the .lbi records: header, metadata,
 * chunk heads, index and trailer (layouts in FORMAT.md). Every decoder
 * bounds each field before anything else trusts it. */
#include "lbi_format.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#define XXH_STATIC_LINKING_ONLY
#include <xxhash.h>

#include "lifeboat/error.h"
#include "lifeboat/bytes.h"

static const char header_magic[8] = { 'L', 'B', 'I', 'M', 'A', 'G', 'E', 0x1a };
static const char meta_magic[8] = { 'L', 'B', 'M', 'E', 'T', 'A', 0, 0 };
static const char trailer_magic[8] = { 'L', 'B', 'T', 'R', 'A', 'I', 'L', 0 };
static const char volume_magic[8] = { 'L', 'B', 'V', 'O', 'L', 'U', 'M', 'E' };

/* Copies a fixed-size on-disk text field into dst, always NUL-terminated. */
static void get_text(char *dst, size_t dstlen, const uint8_t *src, size_t srclen)
{
	size_t n = srclen < dstlen - 1 ? srclen : dstlen - 1;
	memcpy(dst, src, n);
	dst[n] = '\0';
}

static void put_text(uint8_t *dst, size_t dstlen, const char *src)
{
	size_t n = strnlen(src, dstlen - 1);
	memcpy(dst, src, n);
}

static bool valid_codec(uint32_t codec)
{
	return codec <= LB_CODEC_BZIP2;
}

int lbi_encode_header(const struct lb_image_info *info, uint64_t meta_len, uint64_t meta_xxh3,
		      uint8_t out[LBI_HEADER_SIZE])
{
	memset(out, 0, LBI_HEADER_SIZE);
	memcpy(out, header_magic, 8);
	lb_put_le16(out + 8, info->version_major);
	lb_put_le16(out + 10, info->version_minor);
	lb_put_le32(out + 12, LBI_HEADER_SIZE);
	memcpy(out + 16, info->uuid, 16);
	lb_put_le64(out + 32, info->created);
	put_text(out + 40, 32, info->tool);
	lb_put_le32(out + 72, (uint32_t)info->codec);
	lb_put_le32(out + 76, (uint32_t)info->level);
	lb_put_le32(out + 80, info->chunk_size);
	lb_put_le32(out + 84, info->encryption);
	if (info->encryption) {
		out[88] = info->kdf.method;
		out[89] = info->kdf.log2_n;
		out[90] = info->kdf.r;
		out[91] = info->kdf.p;
		memcpy(out + 96, info->kdf.salt, 16);
		memcpy(out + 112, info->kdf.key_check, 16);
		memcpy(out + 128, info->kdf.auth, 16);
	}
	lb_put_le64(out + 152, meta_len);
	lb_put_le64(out + 160, meta_xxh3);
	put_text(out + 168, 256, info->comment);
	lb_put_le64(out + 424, info->volume_size);
	lb_put_le64(out + 504, XXH3_64bits(out, 504));
	return 0;
}

int lbi_decode_header(const uint8_t in[LBI_HEADER_SIZE], struct lb_image_info *info,
		      uint64_t *meta_len, uint64_t *meta_xxh3)
{
	if (memcmp(in, header_magic, 8) != 0)
		return lb_fail(LB_E_INVALID, "not a Lifeboat image (bad magic)");
	if (lb_le64(in + 504) != XXH3_64bits(in, 504))
		return lb_fail(LB_E_CHECKSUM, "image header is damaged (checksum mismatch)");
	info->version_major = lb_le16(in + 8);
	info->version_minor = lb_le16(in + 10);
	if (info->version_major != 1)
		return lb_fail(LB_E_UNSUPPORTED, "image format version %u is not supported", info->version_major);
	if (lb_le32(in + 12) != LBI_HEADER_SIZE)
		return lb_fail(LB_E_INVALID, "image header has a bad size");
	memcpy(info->uuid, in + 16, 16);
	info->created = lb_le64(in + 32);
	get_text(info->tool, sizeof info->tool, in + 40, 32);
	info->codec = (int)lb_le32(in + 72);
	info->level = (int)lb_le32(in + 76);
	info->chunk_size = lb_le32(in + 80);
	info->encryption = lb_le32(in + 84);
	if (!valid_codec((uint32_t)info->codec))
		return lb_fail(LB_E_UNSUPPORTED, "image uses unknown codec %d", info->codec);
	if (info->chunk_size < 4096 || info->chunk_size > LBI_MAX_CHUNK)
		return lb_fail(LB_E_INVALID, "image chunk size %u is out of range", info->chunk_size);
	if (info->encryption > LB_ENCRYPT_AES256GCM)
		return lb_fail(LB_E_UNSUPPORTED, "image uses unknown encryption %u", info->encryption);
	memset(&info->kdf, 0, sizeof info->kdf);
	if (info->encryption) {
		info->kdf.method = in[88];
		info->kdf.log2_n = in[89];
		info->kdf.r = in[90];
		info->kdf.p = in[91];
		memcpy(info->kdf.salt, in + 96, 16);
		memcpy(info->kdf.key_check, in + 112, 16);
		memcpy(info->kdf.auth, in + 128, 16);
	}
	*meta_len = lb_le64(in + 152);
	*meta_xxh3 = lb_le64(in + 160);
	get_text(info->comment, sizeof info->comment, in + 168, 256);
	info->volume_size = lb_le64(in + 424);
	if (info->volume_size && info->volume_size < LBI_MIN_VOLUME)
		return lb_fail(LB_E_INVALID, "image volume size %llu is out of range",
			       (unsigned long long)info->volume_size);
	if (*meta_len < LBI_META_FIXED || *meta_len > lbi_meta_size(LBI_MAX_PARTS))
		return lb_fail(LB_E_INVALID, "image metadata size %llu is out of range", (unsigned long long)*meta_len);
	return 0;
}

size_t lbi_meta_size(unsigned part_count)
{
	return LBI_META_FIXED + (size_t)part_count * LBI_META_PART;
}

void lbi_encode_meta(const struct lb_image_info *info, uint8_t *out)
{
	memset(out, 0, lbi_meta_size(info->part_count));
	memcpy(out, meta_magic, 8);
	lb_put_le32(out + 8, (uint32_t)info->kind);
	lb_put_le32(out + 12, info->sector_size);
	lb_put_le64(out + 16, info->source_size);
	lb_put_le32(out + 24, info->table_type);
	lb_put_le32(out + 28, info->mbr_signature);
	memcpy(out + 32, info->disk_guid, 16);
	put_text(out + 48, 64, info->model);
	lb_put_le64(out + 112, info->used_bytes);
	lb_put_le32(out + 120, info->part_count);
	for (unsigned i = 0; i < info->part_count; i++) {
		const struct lb_image_part *p = &info->parts[i];
		uint8_t *q = out + LBI_META_FIXED + (size_t)i * LBI_META_PART;
		lb_put_le32(q, p->number);
		lb_put_le32(q + 4, p->flags);
		lb_put_le64(q + 8, p->offset);
		lb_put_le64(q + 16, p->size);
		lb_put_le64(q + 24, p->block_size);
		lb_put_le64(q + 32, p->used_bytes);
		memcpy(q + 40, p->type_guid, 16);
		memcpy(q + 56, p->part_guid, 16);
		q[72] = p->mbr_type;
		put_text(q + 80, 16, p->fs);
		put_text(q + 96, 64, p->label);
		put_text(q + 160, 96, p->name);
	}
}

static int decode_part(const uint8_t *q, const struct lb_image_info *info, struct lb_image_part *p)
{
	p->number = lb_le32(q);
	p->flags = lb_le32(q + 4);
	p->offset = lb_le64(q + 8);
	p->size = lb_le64(q + 16);
	p->block_size = lb_le64(q + 24);
	p->used_bytes = lb_le64(q + 32);
	memcpy(p->type_guid, q + 40, 16);
	memcpy(p->part_guid, q + 56, 16);
	p->mbr_type = q[72];
	get_text(p->fs, sizeof p->fs, q + 80, 16);
	get_text(p->label, sizeof p->label, q + 96, 64);
	get_text(p->name, sizeof p->name, q + 160, 96);
	if (p->offset > info->source_size || p->size > info->source_size - p->offset || p->used_bytes > p->size)
		return lb_fail(LB_E_INVALID, "image metadata: partition %u lies outside the source", p->number);
	return 0;
}

int lbi_decode_meta(const uint8_t *in, size_t len, struct lb_image_info *info)
{
	info->parts = NULL;
	if (len < LBI_META_FIXED || memcmp(in, meta_magic, 8) != 0)
		return lb_fail(LB_E_INVALID, "image metadata is malformed");
	info->kind = (enum lb_image_kind)lb_le32(in + 8);
	info->sector_size = lb_le32(in + 12);
	info->source_size = lb_le64(in + 16);
	info->table_type = lb_le32(in + 24);
	info->mbr_signature = lb_le32(in + 28);
	memcpy(info->disk_guid, in + 32, 16);
	get_text(info->model, sizeof info->model, in + 48, 64);
	info->used_bytes = lb_le64(in + 112);
	info->part_count = lb_le32(in + 120);
	if (info->kind != LB_IMAGE_FS && info->kind != LB_IMAGE_DISK)
		return lb_fail(LB_E_INVALID, "image metadata: unknown source kind %u", (unsigned)info->kind);
	if (info->sector_size < 512 || info->sector_size > 65536 || (info->sector_size & (info->sector_size - 1)))
		return lb_fail(LB_E_INVALID, "image metadata: bad sector size %u", info->sector_size);
	if (info->table_type > 2 || info->used_bytes > info->source_size)
		return lb_fail(LB_E_INVALID, "image metadata: inconsistent sizes or table type");
	if (info->part_count > LBI_MAX_PARTS || len != lbi_meta_size(info->part_count))
		return lb_fail(LB_E_INVALID, "image metadata: bad partition count %u", info->part_count);
	if (info->part_count == 0)
		return 0;
	info->parts = calloc(info->part_count, sizeof *info->parts);
	if (!info->parts)
		return lb_fail(LB_E_NOMEM, "out of memory");
	for (unsigned i = 0; i < info->part_count; i++) {
		int rc = decode_part(in + LBI_META_FIXED + (size_t)i * LBI_META_PART, info, &info->parts[i]);
		const struct lb_image_part *prev = i ? &info->parts[i - 1] : NULL;
		if (rc == 0 && prev && info->parts[i].offset < prev->offset)
			rc = lb_fail(LB_E_INVALID, "image metadata: partitions are not in disk order");
		if (rc < 0) {
			free(info->parts);
			info->parts = NULL;
			return rc;
		}
	}
	return 0;
}

size_t lbi_chunk_head_size(uint32_t run_count)
{
	return LBI_CHUNK_FIXED + (size_t)run_count * LBI_RUN_SIZE;
}

static uint64_t chunk_head_checksum(const uint8_t *head, uint32_t run_count)
{
	XXH3_state_t st;
	XXH3_64bits_reset(&st);
	XXH3_64bits_update(&st, head, 40);
	XXH3_64bits_update(&st, head + LBI_CHUNK_FIXED, (size_t)run_count * LBI_RUN_SIZE);
	return XXH3_64bits_digest(&st);
}

void lbi_encode_chunk_head(const struct lbi_chunk_head *h, const struct lbi_run *runs, uint8_t *out)
{
	memset(out, 0, LBI_CHUNK_FIXED);
	memcpy(out, LBI_MAGIC_CHUNK, 4);
	lb_put_le32(out + 4, h->run_count);
	lb_put_le64(out + 8, h->seq);
	lb_put_le32(out + 16, h->codec);
	lb_put_le32(out + 20, h->stored_len);
	lb_put_le32(out + 24, h->raw_len);
	lb_put_le64(out + 32, h->raw_xxh3);
	for (uint32_t i = 0; i < h->run_count; i++) {
		lb_put_le64(out + LBI_CHUNK_FIXED + (size_t)i * LBI_RUN_SIZE, runs[i].offset);
		lb_put_le64(out + LBI_CHUNK_FIXED + (size_t)i * LBI_RUN_SIZE + 8, runs[i].len);
	}
	lb_put_le64(out + 40, chunk_head_checksum(out, h->run_count));
}

int lbi_decode_chunk_fixed(const uint8_t *in, uint32_t chunk_size, uint32_t tag_len, struct lbi_chunk_head *h)
{
	if (memcmp(in, LBI_MAGIC_CHUNK, 4) != 0)
		return lb_fail(LB_E_INVALID, "bad chunk record magic");
	h->run_count = lb_le32(in + 4);
	h->seq = lb_le64(in + 8);
	h->codec = lb_le32(in + 16);
	h->stored_len = lb_le32(in + 20);
	h->raw_len = lb_le32(in + 24);
	h->raw_xxh3 = lb_le64(in + 32);
	if (h->run_count == 0 || h->run_count > LBI_MAX_RUNS || h->raw_len == 0 || h->raw_len > chunk_size ||
	    h->stored_len < tag_len || h->stored_len - tag_len > h->raw_len || !valid_codec(h->codec) ||
	    (h->codec == LB_CODEC_NONE && h->stored_len - tag_len != h->raw_len))
		return lb_fail(LB_E_INVALID, "chunk head has out-of-range fields");
	return 0;
}

int lbi_decode_chunk_runs(const uint8_t *head, const struct lbi_chunk_head *h, uint64_t source_size,
			  struct lbi_run *runs)
{
	if (lb_le64(head + 40) != chunk_head_checksum(head, h->run_count))
		return lb_fail(LB_E_CHECKSUM, "chunk head checksum mismatch");
	uint64_t total = 0, prev_end = 0;
	for (uint32_t i = 0; i < h->run_count; i++) {
		const uint8_t *p = head + LBI_CHUNK_FIXED + (size_t)i * LBI_RUN_SIZE;
		runs[i].offset = lb_le64(p);
		runs[i].len = lb_le64(p + 8);
		if (runs[i].len == 0 || runs[i].offset < prev_end || runs[i].offset > source_size ||
		    runs[i].len > source_size - runs[i].offset || runs[i].len > h->raw_len - total)
			return lb_fail(LB_E_INVALID, "chunk runs are out of order or out of range");
		total += runs[i].len;
		prev_end = runs[i].offset + runs[i].len;
	}
	if (total != h->raw_len)
		return lb_fail(LB_E_INVALID, "chunk runs do not add up to its length");
	return 0;
}

size_t lbi_index_size(uint64_t count)
{
	return LBI_INDEX_FIXED + (size_t)count * LBI_INDEX_ENTRY + 8;
}

void lbi_encode_index(const struct lbi_index_entry *e, uint64_t count, uint8_t *out)
{
	memset(out, 0, LBI_INDEX_FIXED);
	memcpy(out, LBI_MAGIC_INDEX, 4);
	lb_put_le64(out + 8, count);
	for (uint64_t i = 0; i < count; i++) {
		uint8_t *q = out + LBI_INDEX_FIXED + i * LBI_INDEX_ENTRY;
		memset(q, 0, LBI_INDEX_ENTRY);
		lb_put_le64(q, e[i].record_offset);
		lb_put_le64(q + 8, e[i].span_start);
		lb_put_le64(q + 16, e[i].span_end);
		lb_put_le32(q + 24, e[i].raw_len);
		lb_put_le32(q + 28, e[i].stored_len);
		lb_put_le32(q + 32, e[i].run_count);
		lb_put_le64(q + 40, e[i].raw_xxh3);
	}
	size_t body = LBI_INDEX_FIXED + (size_t)count * LBI_INDEX_ENTRY;
	lb_put_le64(out + body, XXH3_64bits(out, body));
}

int lbi_decode_index(const uint8_t *in, size_t len, uint64_t expect_count, uint64_t source_size,
		     struct lbi_index_entry *out)
{
	if (len < lbi_index_size(0) || memcmp(in, LBI_MAGIC_INDEX, 4) != 0)
		return lb_fail(LB_E_INVALID, "chunk index is malformed");
	uint64_t count = lb_le64(in + 8);
	if (count != expect_count || len != lbi_index_size(count))
		return lb_fail(LB_E_INVALID, "chunk index size does not match the trailer");
	size_t body = len - 8;
	if (lb_le64(in + body) != XXH3_64bits(in, body))
		return lb_fail(LB_E_CHECKSUM, "chunk index is damaged (checksum mismatch)");
	uint64_t prev_offset = 0, prev_end = 0;
	for (uint64_t i = 0; i < count; i++) {
		const uint8_t *q = in + LBI_INDEX_FIXED + i * LBI_INDEX_ENTRY;
		struct lbi_index_entry *e = &out[i];
		e->record_offset = lb_le64(q);
		e->span_start = lb_le64(q + 8);
		e->span_end = lb_le64(q + 16);
		e->raw_len = lb_le32(q + 24);
		e->stored_len = lb_le32(q + 28);
		e->run_count = lb_le32(q + 32);
		e->reserved = 0;
		e->raw_xxh3 = lb_le64(q + 40);
		if ((i > 0 && e->record_offset <= prev_offset) || e->span_start < prev_end ||
		    e->span_start >= e->span_end || e->span_end > source_size || e->run_count == 0 ||
		    e->run_count > LBI_MAX_RUNS)
			return lb_fail(LB_E_INVALID, "chunk index entry %llu is inconsistent", (unsigned long long)i);
		prev_offset = e->record_offset;
		prev_end = e->span_end;
	}
	return 0;
}

void lbi_encode_volume_mark(const struct lbi_volume_mark *m, uint8_t out[LBI_VOLUME_MARK])
{
	memset(out, 0, LBI_VOLUME_MARK);
	memcpy(out, volume_magic, 8);
	memcpy(out + 8, m->uuid, 16);
	lb_put_le32(out + 24, m->number);
	lb_put_le64(out + 32, m->stream_offset);
	lb_put_le64(out + 56, XXH3_64bits(out, 56));
}

int lbi_decode_volume_mark(const uint8_t in[LBI_VOLUME_MARK], struct lbi_volume_mark *m)
{
	if (memcmp(in, volume_magic, 8) != 0)
		return lb_fail(LB_E_INVALID, "not a volume of a split Lifeboat image");
	if (lb_le64(in + 56) != XXH3_64bits(in, 56))
		return lb_fail(LB_E_CHECKSUM, "volume mark is damaged (checksum mismatch)");
	memcpy(m->uuid, in + 8, 16);
	m->number = lb_le32(in + 24);
	m->stream_offset = lb_le64(in + 32);
	return 0;
}

void lbi_encode_trailer(const struct lbi_trailer *t, uint8_t out[LBI_TRAILER_SIZE])
{
	memset(out, 0, LBI_TRAILER_SIZE);
	memcpy(out, trailer_magic, 8);
	lb_put_le64(out + 8, t->index_offset);
	lb_put_le64(out + 16, t->index_len);
	lb_put_le64(out + 24, t->chunk_count);
	lb_put_le64(out + 32, t->raw_total);
	memcpy(out + 40, t->digest, 16);
	lb_put_le64(out + 56, XXH3_64bits(out, 56));
}

int lbi_decode_trailer(const uint8_t in[LBI_TRAILER_SIZE], struct lbi_trailer *t)
{
	if (memcmp(in, trailer_magic, 8) != 0)
		return lb_fail(LB_E_TRUNCATED, "image trailer missing (image cut short?)");
	if (lb_le64(in + 56) != XXH3_64bits(in, 56))
		return lb_fail(LB_E_CHECKSUM, "image trailer is damaged (checksum mismatch)");
	t->index_offset = lb_le64(in + 8);
	t->index_len = lb_le64(in + 16);
	t->chunk_count = lb_le64(in + 24);
	t->raw_total = lb_le64(in + 32);
	memcpy(t->digest, in + 40, 16);
	if (t->chunk_count > (UINT64_MAX - 64) / LBI_INDEX_ENTRY || t->index_len != lbi_index_size(t->chunk_count))
		return lb_fail(LB_E_INVALID, "image trailer has an inconsistent index size");
	return 0;
}
