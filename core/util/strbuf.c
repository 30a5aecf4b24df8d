/* Growable text buffer used to build JSON, reports and messages. */
#include "lifeboat/strbuf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void lb_strbuf_init(struct lb_strbuf *sb)
{
	memset(sb, 0, sizeof *sb);
}

void lb_strbuf_free(struct lb_strbuf *sb)
{
	free(sb->data);
	lb_strbuf_init(sb);
}

static int reserve(struct lb_strbuf *sb, size_t extra)
{
	if (sb->failed)
		return -1;
	if (sb->len + extra + 1 <= sb->cap)
		return 0;
	size_t cap = sb->cap ? sb->cap : 256;
	while (cap < sb->len + extra + 1)
		cap *= 2;
	char *p = realloc(sb->data, cap);
	if (!p) {
		sb->failed = 1;
		return -1;
	}
	sb->data = p;
	sb->cap = cap;
	return 0;
}

void lb_strbuf_append(struct lb_strbuf *sb, const char *data, size_t len)
{
	if (reserve(sb, len) < 0)
		return;
	memcpy(sb->data + sb->len, data, len);
	sb->len += len;
	sb->data[sb->len] = '\0';
}

void lb_strbuf_puts(struct lb_strbuf *sb, const char *s)
{
	lb_strbuf_append(sb, s, strlen(s));
}

void lb_strbuf_printf(struct lb_strbuf *sb, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || reserve(sb, (size_t)n) < 0)
		return;
	va_start(ap, fmt);
	vsnprintf(sb->data + sb->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	sb->len += (size_t)n;
}

const char *lb_strbuf_str(const struct lb_strbuf *sb)
{
	return sb->data ? sb->data : "";
}

void lb_strbuf_prefix_lines(struct lb_strbuf *sb, const char *prefix, const char *text)
{
	for (const char *p = text; *p;) {
		size_t n = strcspn(p, "\n");
		lb_strbuf_printf(sb, "%s%.*s\n", prefix, (int)n, p);
		p += n + (p[n] == '\n');
	}
}
