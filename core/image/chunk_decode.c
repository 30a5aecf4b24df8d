/* Decrypts a chunk record (AES-256-GCM, encrypted images), decodes it with
 * its codec and checks the XXH3 of the decoded bytes: no byte of a chunk
 * is trusted before this succeeds. */
#include "chunk_decode.h"

#include <string.h>

#include "codec.h"
#include "lifeboat/error.h"

int lbi_decoders_init(struct lbi_decoders *d, const struct lbi_crypt *crypt)
{
	memset(d, 0, sizeof *d);
	d->crypt = crypt;
	for (int id = 0; id <= LB_CODEC_BZIP2; id++)
		if (!(d->ctx[id] = lb_codec_get(id)->ctx_new(0))) {
			lbi_decoders_free(d);
			return lb_fail(LB_E_NOMEM, "out of memory for decoders");
		}
	return 0;
}

void lbi_decoders_free(struct lbi_decoders *d)
{
	for (int id = 0; id <= LB_CODEC_BZIP2; id++)
		if (d->ctx[id])
			lb_codec_get(id)->ctx_free(d->ctx[id]);
	memset(d, 0, sizeof *d);
}

int lbi_decode_chunk(struct lbi_decoders *d, const struct lbi_record *r, uint8_t *raw)
{
	const struct lb_codec_ops *c = lb_codec_get((int)r->h.codec);
	size_t len = r->h.stored_len;
	int rc = 0;
	if (d->crypt) {
		len -= LBI_TAG_SIZE;
		rc = lbi_crypt_open(d->crypt, r->h.seq, r->head, r->h.run_count, r->stored, len);
	}
	if (rc == 0)
		rc = c->decompress(d->ctx[r->h.codec], r->stored, len, raw, r->h.raw_len);
	if (rc == 0 && XXH3_64bits(raw, r->h.raw_len) != r->h.raw_xxh3)
		rc = lb_fail(LB_E_CHECKSUM, "checksum mismatch");
	if (rc < 0)
		lb_fail_context(rc, "chunk %llu (image byte %llu) is damaged", (unsigned long long)r->h.seq,
				(unsigned long long)r->offset);
	return rc;
}
