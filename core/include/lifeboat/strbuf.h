/* A growable byte buffer for building text (reports, JSON, messages). */
#ifndef LIFEBOAT_STRBUF_H
#define LIFEBOAT_STRBUF_H

#include <stddef.h>

struct lb_strbuf {
	char *data;     /* always NUL-terminated when len > 0 or after any append */
	size_t len;
	size_t cap;
	int failed;     /* set once an allocation failed; later appends are no-ops */
};

void lb_strbuf_init(struct lb_strbuf *sb);
void lb_strbuf_free(struct lb_strbuf *sb);
void lb_strbuf_append(struct lb_strbuf *sb, const char *data, size_t len);
void lb_strbuf_puts(struct lb_strbuf *sb, const char *s);
void lb_strbuf_printf(struct lb_strbuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Appends text with prefix before each of its lines (each ends in '\n'). */
void lb_strbuf_prefix_lines(struct lb_strbuf *sb, const char *prefix, const char *text);
/* The text so far ("" for an empty buffer). */
const char *lb_strbuf_str(const struct lb_strbuf *sb);
/* Appends the whole file at path; fails (message naming path) when it cannot
 * be read or holds more than max bytes. */
int lb_strbuf_read_file(struct lb_strbuf *sb, const char *path, size_t max);

#endif
