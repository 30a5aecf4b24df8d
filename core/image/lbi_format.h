/* Internal: the on-disk records of the .lbi format (FORMAT.md) and their
 * encoders and checked decoders. Decoders treat every byte as untrusted. */
#ifndef LIFEBOAT_LBI_FORMAT_H
#define LIFEBOAT_LBI_FORMAT_H

#include <stddef.h>
#include <stdint.h>

#include "lifeboat/image.h"

#define LBI_HEADER_SIZE 512
#define LBI_META_FIXED 128
#define LBI_META_PART 256
#define LBI_MAX_PARTS 256
#define LBI_CHUNK_FIXED 48
#define LBI_RUN_SIZE 16
#define LBI_MAX_CHUNK (64u << 20)
#define LBI_MAX_RUNS 65536
#define LBI_INDEX_FIXED 16
#define LBI_INDEX_ENTRY 48
#define LBI_TRAILER_SIZE 64
#define LBI_DEFAULT_CHUNK (8u << 20)
#define LBI_VOLUME_MARK 64
#define LBI_MIN_VOLUME (1u << 20)

#define LBI_MAGIC_CHUNK "LBCK"
#define LBI_MAGIC_INDEX "LBIX"

struct lbi_run {
	uint64_t offset;   /* in the source's address space */
	uint64_t len;
};

struct lbi_chunk_head {
	uint64_t seq;
	uint32_t codec;
	uint32_t stored_len;
	uint32_t raw_len;
	uint32_t run_count;
	uint64_t raw_xxh3;   /* of the decoded bytes */
};

struct lbi_index_entry {
	uint64_t record_offset;   /* of the chunk record in the image stream */
	uint64_t span_start;      /* first run's offset */
	uint64_t span_end;        /* last run's end */
	uint32_t raw_len;
	uint32_t stored_len;
	uint32_t run_count;
	uint32_t reserved;
	uint64_t raw_xxh3;
};

struct lbi_trailer {
	uint64_t index_offset;
	uint64_t index_len;
	uint64_t chunk_count;
	uint64_t raw_total;
	uint8_t digest[16];   /* XXH3-128 of every image byte before the trailer */
};

/* Header + metadata (info fields other than the trailer's). */
int lbi_encode_header(const struct lb_image_info *info, uint64_t meta_len, uint64_t meta_xxh3,
		      uint8_t out[LBI_HEADER_SIZE]);
int lbi_decode_header(const uint8_t in[LBI_HEADER_SIZE], struct lb_image_info *info,
		      uint64_t *meta_len, uint64_t *meta_xxh3);
size_t lbi_meta_size(unsigned part_count);
void lbi_encode_meta(const struct lb_image_info *info, uint8_t *out);
/* Fills info's metadata fields; allocates info->parts (free with free()). */
int lbi_decode_meta(const uint8_t *in, size_t len, struct lb_image_info *info);

/* Chunk records: fixed part, then run_count runs, then stored bytes. */
size_t lbi_chunk_head_size(uint32_t run_count);
void lbi_encode_chunk_head(const struct lbi_chunk_head *h, const struct lbi_run *runs, uint8_t *out);
/* Decodes the fixed part (first LBI_CHUNK_FIXED bytes); the stored bytes
 * of an encrypted image end with a tag of tag_len bytes. */
int lbi_decode_chunk_fixed(const uint8_t *in, uint32_t chunk_size, uint32_t tag_len, struct lbi_chunk_head *h);
/* Checks the head checksum over fixed part + runs and decodes the runs. */
int lbi_decode_chunk_runs(const uint8_t *head, const struct lbi_chunk_head *h, uint64_t source_size,
			  struct lbi_run *runs);

/* Index: fixed part, entries, then an 8-byte checksum. */
size_t lbi_index_size(uint64_t count);
void lbi_encode_index(const struct lbi_index_entry *e, uint64_t count, uint8_t *out);
int lbi_decode_index(const uint8_t *in, size_t len, uint64_t expect_count, uint64_t source_size,
		     struct lbi_index_entry *out);

/* The mark at the start of split volume 2, 3, ...: which image, which
 * volume, and where in the image stream its bytes belong. */
struct lbi_volume_mark {
	uint8_t uuid[16];
	uint32_t number;
	uint64_t stream_offset;
};

void lbi_encode_volume_mark(const struct lbi_volume_mark *m, uint8_t out[LBI_VOLUME_MARK]);
int lbi_decode_volume_mark(const uint8_t in[LBI_VOLUME_MARK], struct lbi_volume_mark *m);

void lbi_encode_trailer(const struct lbi_trailer *t, uint8_t out[LBI_TRAILER_SIZE]);
int lbi_decode_trailer(const uint8_t in[LBI_TRAILER_SIZE], struct lbi_trailer *t);

#endif
