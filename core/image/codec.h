/* Internal: the chunk codecs as an ops table (zstd, zlib, bzip2, none). A
 * context belongs to one worker thread at a time. */
#ifndef LIFEBOAT_CODEC_H
#define LIFEBOAT_CODEC_H

#include <stddef.h>

struct lb_codec_ops {
	const char *name;
	int id;
	int default_level, min_level, max_level;
	void *(*ctx_new)(int level);
	void (*ctx_free)(void *ctx);
	/* Compresses into dst (cap bytes); 1 with *out_len set when the result
	 * fits, 0 when it does not (the chunk is then stored as is), <0 on error. */
	int (*compress)(void *ctx, const void *src, size_t len, void *dst, size_t cap, size_t *out_len);
	/* Decodes exactly raw_len bytes or fails with LB_E_CHECKSUM. */
	int (*decompress)(void *ctx, const void *src, size_t len, void *dst, size_t raw_len);
};

/* The ops of codec id, NULL if unknown. */
const struct lb_codec_ops *lb_codec_get(int id);

#endif
