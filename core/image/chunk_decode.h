/* Internal: decoding and checking one chunk record, shared by restore and
 * verify workers. */
#ifndef LIFEBOAT_CHUNK_DECODE_H
#define LIFEBOAT_CHUNK_DECODE_H

#include "reader.h"

/* Per-worker codec contexts for every codec an image may use. */
struct lbi_decoders {
	void *ctx[LB_CODEC_BZIP2 + 1];
	const struct lbi_crypt *crypt;   /* encrypted images */
};

int lbi_decoders_init(struct lbi_decoders *d, const struct lbi_crypt *crypt);
void lbi_decoders_free(struct lbi_decoders *d);

/* Decrypts r->stored in place (encrypted images), decodes it into raw
 * (r->h.raw_len bytes) and checks its XXH3;
 * LB_E_CHECKSUM names the chunk when it does not match. */
int lbi_decode_chunk(struct lbi_decoders *d, const struct lbi_record *r, uint8_t *raw);

#endif
