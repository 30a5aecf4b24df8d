/* Internal: an open .lbi image and the record reader shared by restore and
 * verify. Chunks are read in stream order (pipes) or through the index. */
#ifndef LIFEBOAT_READER_H
#define LIFEBOAT_READER_H

#include <stdbool.h>
#include <xxhash.h>

#include "crypt.h"
#include "lbi_format.h"
#include "stream.h"

struct lb_image {
	struct lb_istream *in;
	struct lb_image_info info;
	uint64_t data_start;            /* offset of the first chunk record */
	XXH3_state_t *digest;           /* over every byte read in order */
	bool seekable;
	struct lbi_trailer trailer;     /* seekable: read at open */
	struct lbi_index_entry *index;  /* seekable: read at open */
	uint64_t raw_seen;              /* decoded bytes of the chunks read in order */
	uint8_t header[LBI_HEADER_SIZE];   /* as read, for the encryption HMAC */
	uint8_t *meta;
	size_t meta_len;
	struct lbi_crypt *crypt;        /* encrypted images, once unlocked */
};

/* One chunk record as read from the image. */
struct lbi_record {
	struct lbi_chunk_head h;
	struct lbi_run *runs;        /* capacity LBI_MAX_RUNS */
	uint8_t *head;               /* capacity lbi_chunk_head_size(LBI_MAX_RUNS) */
	uint8_t *stored;             /* capacity chunk_size + LBI_TAG_SIZE */
	uint64_t offset;             /* of the record in the image */
};

/* Finds and checks volumes 2, 3, ... of a split image (after the header
 * was read); a pipe is told where the volume marks come. */
int lbi_find_volumes(struct lb_image *img, const struct lb_open_opts *o);

/* Bytes one record takes for chunks of chunk_size. */
size_t lbi_record_bytes(uint32_t chunk_size);
int lbi_record_alloc(struct lbi_record *r, uint32_t chunk_size);
void lbi_record_free(struct lbi_record *r);

/* Reads the next record in stream order: 1 = a chunk in r, 0 = the index
 * and trailer were read and the whole-image digest matches. */
int lbi_read_next(struct lb_image *img, struct lbi_record *r, uint64_t *chunks_seen);
/* Reads the chunk record of index entry i (seekable images). */
int lbi_read_at(struct lb_image *img, uint64_t i, struct lbi_record *r);

#endif
