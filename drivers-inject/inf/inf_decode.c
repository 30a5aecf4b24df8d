/* Turns the bytes of an INF file into UTF-8 text: UTF-16LE/BE with a BOM,
 * UTF-8 (with or without a BOM), else Windows-1252. Text ends at Ctrl-Z. */
#include "lifeboat/inf.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>

#include "lifeboat/error.h"
#include "lifeboat/strbuf.h"

/* Windows-1252 code points for bytes 0x80-0x9F (0 = unassigned). */
static const uint16_t cp1252_high[32] = {
	0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
	0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017D, 0,
	0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
	0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E, 0,
};

static void put_utf8(struct lb_strbuf *sb, uint32_t cp)
{
	char b[4];
	size_t n;
	if (cp < 0x80) {
		b[0] = (char)cp;
		n = 1;
	} else if (cp < 0x800) {
		b[0] = (char)(0xC0 | cp >> 6);
		b[1] = (char)(0x80 | (cp & 0x3F));
		n = 2;
	} else if (cp < 0x10000) {
		b[0] = (char)(0xE0 | cp >> 12);
		b[1] = (char)(0x80 | (cp >> 6 & 0x3F));
		b[2] = (char)(0x80 | (cp & 0x3F));
		n = 3;
	} else {
		b[0] = (char)(0xF0 | cp >> 18);
		b[1] = (char)(0x80 | (cp >> 12 & 0x3F));
		b[2] = (char)(0x80 | (cp >> 6 & 0x3F));
		b[3] = (char)(0x80 | (cp & 0x3F));
		n = 4;
	}
	lb_strbuf_append(sb, b, n);
}

/* Counts the newlines before data[end] for error messages. */
static unsigned line_of(const struct lb_strbuf *sb)
{
	unsigned line = 1;
	for (size_t i = 0; i < sb->len; i++)
		line += sb->data[i] == '\n';
	return line;
}

static int decode_utf16(const char *name, const unsigned char *p, size_t len, bool big_endian,
			struct lb_strbuf *sb)
{
	if (len % 2)
		return lb_fail(LB_E_INVALID, "%s: UTF-16 text with an odd number of bytes", name);
	for (size_t i = 0; i < len; i += 2) {
		uint32_t u = big_endian ? (uint32_t)(p[i] << 8 | p[i + 1]) : (uint32_t)(p[i + 1] << 8 | p[i]);
		if (u == 0x1A)
			break;
		if (u == 0)
			return lb_fail(LB_E_INVALID, "%s:%u: NUL character in the text", name, line_of(sb));
		if (u >= 0xD800 && u < 0xDC00) {
			uint32_t lo = 0;
			if (i + 3 < len)
				lo = big_endian ? (uint32_t)(p[i + 2] << 8 | p[i + 3])
						: (uint32_t)(p[i + 3] << 8 | p[i + 2]);
			if (lo < 0xDC00 || lo > 0xDFFF)
				return lb_fail(LB_E_INVALID, "%s:%u: broken UTF-16 surrogate pair", name, line_of(sb));
			u = 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00);
			i += 2;
		} else if (u >= 0xDC00 && u <= 0xDFFF) {
			return lb_fail(LB_E_INVALID, "%s:%u: broken UTF-16 surrogate pair", name, line_of(sb));
		}
		put_utf8(sb, u);
	}
	return 0;
}

/* Length of the valid UTF-8 sequence at p (>= 2 bytes), or 0. */
static size_t utf8_sequence(const unsigned char *p, size_t avail)
{
	size_t n;
	uint32_t cp;
	if (p[0] >= 0xC2 && p[0] <= 0xDF) {
		n = 2;
		cp = p[0] & 0x1F;
	} else if (p[0] >= 0xE0 && p[0] <= 0xEF) {
		n = 3;
		cp = p[0] & 0x0F;
	} else if (p[0] >= 0xF0 && p[0] <= 0xF4) {
		n = 4;
		cp = p[0] & 0x07;
	} else {
		return 0;
	}
	if (avail < n)
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((p[i] & 0xC0) != 0x80)
			return 0;
		cp = cp << 6 | (p[i] & 0x3F);
	}
	if ((n == 3 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) || (n == 4 && (cp < 0x10000 || cp > 0x10FFFF)))
		return 0;
	return n;
}

static bool is_utf8(const unsigned char *p, size_t len)
{
	for (size_t i = 0; i < len;) {
		if (p[i] < 0x80) {
			i++;
			continue;
		}
		size_t n = utf8_sequence(p + i, len - i);
		if (!n)
			return false;
		i += n;
	}
	return true;
}

static int decode_bytes(const char *name, const unsigned char *p, size_t len, struct lb_strbuf *sb)
{
	bool utf8 = is_utf8(p, len);
	for (size_t i = 0; i < len; i++) {
		if (p[i] == 0x1A)
			break;
		if (p[i] == 0)
			return lb_fail(LB_E_INVALID, "%s:%u: NUL character in the text", name, line_of(sb));
		if (p[i] < 0x80 || utf8) {
			lb_strbuf_append(sb, (const char *)p + i, 1);
			continue;
		}
		uint32_t cp = p[i] < 0xA0 ? cp1252_high[p[i] - 0x80] : p[i];
		put_utf8(sb, cp ? cp : 0xFFFD);
	}
	return 0;
}

int lb_inf_decode(const char *name, const unsigned char *data, size_t len, char **out)
{
	struct lb_strbuf sb;
	int rc;
	lb_strbuf_init(&sb);
	lb_strbuf_append(&sb, "", 0);
	if (len >= 2 && data[0] == 0xFF && data[1] == 0xFE)
		rc = decode_utf16(name, data + 2, len - 2, false, &sb);
	else if (len >= 2 && data[0] == 0xFE && data[1] == 0xFF)
		rc = decode_utf16(name, data + 2, len - 2, true, &sb);
	else if (len >= 3 && data[0] == 0xEF && data[1] == 0xBB && data[2] == 0xBF)
		rc = decode_bytes(name, data + 3, len - 3, &sb);
	else
		rc = decode_bytes(name, data, len, &sb);
	if (rc == 0 && sb.failed)
		rc = lb_fail(LB_E_NOMEM, "%s: out of memory", name);
	if (rc < 0) {
		lb_strbuf_free(&sb);
		return rc;
	}
	*out = sb.data;
	return 0;
}
