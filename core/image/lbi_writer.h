/* Internal: writes an .lbi stream record by record, keeping the running
 * digest and the chunk index that ends the image. */
#ifndef LIFEBOAT_LBI_WRITER_H
#define LIFEBOAT_LBI_WRITER_H

#include <xxhash.h>

#include "crypt.h"
#include "lbi_format.h"
#include "stream.h"

struct lbi_writer {
	struct lb_ostream *out;
	uint64_t pos;
	XXH3_state_t *digest;
	struct lbi_index_entry *index;
	uint64_t count, cap;
	uint64_t raw_total;
	uint8_t *head_buf;   /* encoded chunk heads */
	size_t head_cap;
};

/* Writes header and metadata; crypt (encrypted images) authenticates them. */
int lbi_writer_begin(struct lbi_writer *w, struct lb_ostream *out, const struct lb_image_info *info,
		     const struct lbi_crypt *crypt);
int lbi_writer_chunk(struct lbi_writer *w, const struct lbi_chunk_head *h, const struct lbi_run *runs,
		     const void *stored);
int lbi_writer_finish(struct lbi_writer *w);
void lbi_writer_free(struct lbi_writer *w);

#endif
