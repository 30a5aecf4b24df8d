/* Finding a machine SID in registry and security data and writing another
 * in its place: binary SIDs (structurally matched, length kept), textual
 * SIDs in UTF-8 names and UTF-16 strings, and security cells of raw hives. */
#include "win_internal.h"
#include "regf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

size_t win_sid_rewrite_binary(uint8_t *buf, size_t len, const struct lb_sid3 *old, const struct lb_sid3 *new_sid)
{
	static const uint8_t authority[6] = { 0, 0, 0, 0, 0, 5 };
	size_t count = 0;
	for (size_t i = 0; i + 24 <= len; i++) {
		uint8_t n = buf[i + 1];
		if (buf[i] != 1 || n < 4 || n > 15 || i + 8 + 4 * (size_t)n > len ||
		    memcmp(buf + i + 2, authority, 6) != 0 || regf_le32(buf + i + 8) != 21)
			continue;
		if (regf_le32(buf + i + 12) != old->sub[0] || regf_le32(buf + i + 16) != old->sub[1] ||
		    regf_le32(buf + i + 20) != old->sub[2])
			continue;
		for (int k = 0; k < 3; k++)
			regf_put_le32(buf + i + 12 + 4 * k, new_sid->sub[k]);
		count++;
		i += 23;
	}
	return count;
}

/* Length of the match of sid text at p (case-insensitive "S"), 0 if none. */
static size_t match_at(const char *p, const char *sid)
{
	size_t n = strlen(sid);
	if ((p[0] != 'S' && p[0] != 's') || strncmp(p + 1, sid + 1, n - 1) != 0)
		return 0;
	return (p[n] >= '0' && p[n] <= '9') ? 0 : n;
}

char *win_sid_rewrite_text(const char *text, const struct lb_sid3 *old, const struct lb_sid3 *new_sid, int *count)
{
	char from[64], to[64];
	lb_sid3_format(old, from);
	lb_sid3_format(new_sid, to);
	*count = 0;
	for (const char *p = text; *p; p++)
		if (match_at(p, from))
			(*count)++;
	if (*count == 0)
		return NULL;
	char *out = malloc(strlen(text) + (size_t)*count * strlen(to) + 1), *o = out;
	if (!out) {
		*count = -1;
		return NULL;
	}
	for (const char *p = text; *p;) {
		size_t m = match_at(p, from);
		if (m) {
			o = stpcpy(o, to);
			p += m;
		} else {
			*o++ = *p++;
		}
	}
	*o = '\0';
	return out;
}

/* ASCII view of UTF-16LE units (non-ASCII units become 0x01). */
static char *ascii_view(const uint8_t *data, size_t units)
{
	char *a = malloc(units + 1);
	if (!a)
		return NULL;
	for (size_t i = 0; i < units; i++) {
		uint16_t u = (uint16_t)(data[2 * i] | data[2 * i + 1] << 8);
		a[i] = u == 0 ? '\x02' : u < 0x80 ? (char)u : '\x01';
	}
	a[units] = '\0';
	return a;
}

uint8_t *win_sid_rewrite_utf16(const uint8_t *data, size_t len, const struct lb_sid3 *old,
			       const struct lb_sid3 *new_sid, size_t *out_len, int *count)
{
	char from[64], to[64];
	lb_sid3_format(old, from);
	lb_sid3_format(new_sid, to);
	size_t units = len / 2, flen = strlen(from), tlen = strlen(to);
	char *a = ascii_view(data, units);
	*count = 0;
	if (!a) {
		*count = -1;
		return NULL;
	}
	for (size_t i = 0; i < units; i++)
		if (match_at(a + i, from))
			(*count)++;
	uint8_t *out = *count ? malloc(len + (size_t)*count * 2 * tlen + 2) : NULL, *o = out;
	if (*count && !out)
		*count = -1;
	for (size_t i = 0; out && i < units;) {
		if (match_at(a + i, from)) {
			for (size_t k = 0; k < tlen; k++) {
				*o++ = (uint8_t)to[k];
				*o++ = 0;
			}
			i += flen;
		} else {
			*o++ = data[2 * i];
			*o++ = data[2 * i + 1];
			i++;
		}
	}
	if (out) {
		if (len % 2)
			*o++ = data[len - 1];
		*out_len = (size_t)(o - out);
	}
	free(a);
	return out;
}

struct sk_ctx {
	const struct lb_sid3 *old, *new_sid;
	size_t count;
};

static void rewrite_sk(uint8_t *data, size_t size, bool allocated, void *ctx)
{
	struct sk_ctx *c = ctx;
	if (!allocated || size < 20 || data[0] != 's' || data[1] != 'k')
		return;
	size_t sd = regf_le32(data + 16);
	if (sd <= size - 20)
		c->count += win_sid_rewrite_binary(data + 20, sd, c->old, c->new_sid);
}

size_t win_sid_rewrite_sk_cells(uint8_t *hive, size_t len, const struct lb_sid3 *old, const struct lb_sid3 *new_sid)
{
	struct sk_ctx c = { old, new_sid, 0 };
	regf_each_cell(hive, len, rewrite_sk, &c);
	return c.count;
}
