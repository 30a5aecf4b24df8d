/* UTF-16LE/BE to UTF-8 conversion for on-disk names and labels. */
#include "lifeboat/utf16.h"

static unsigned unit_at(const uint8_t *in, size_t i, bool big_endian)
{
	const uint8_t *p = in + 2 * i;
	return big_endian ? (unsigned)((p[0] << 8) | p[1]) : (unsigned)(p[0] | (p[1] << 8));
}

/* Appends code point cp to out at *len if it fits with room for the NUL. */
static void put_utf8(uint32_t cp, char *out, size_t outlen, size_t *len)
{
	uint8_t enc[4];
	size_t n;
	if (cp < 0x80) {
		enc[0] = (uint8_t)cp;
		n = 1;
	} else if (cp < 0x800) {
		enc[0] = (uint8_t)(0xC0 | (cp >> 6));
		enc[1] = (uint8_t)(0x80 | (cp & 0x3F));
		n = 2;
	} else if (cp < 0x10000) {
		enc[0] = (uint8_t)(0xE0 | (cp >> 12));
		enc[1] = (uint8_t)(0x80 | ((cp >> 6) & 0x3F));
		enc[2] = (uint8_t)(0x80 | (cp & 0x3F));
		n = 3;
	} else {
		enc[0] = (uint8_t)(0xF0 | (cp >> 18));
		enc[1] = (uint8_t)(0x80 | ((cp >> 12) & 0x3F));
		enc[2] = (uint8_t)(0x80 | ((cp >> 6) & 0x3F));
		enc[3] = (uint8_t)(0x80 | (cp & 0x3F));
		n = 4;
	}
	if (*len + n >= outlen)
		return;
	for (size_t i = 0; i < n; i++)
		out[(*len)++] = (char)enc[i];
}

void lb_utf16_to_utf8(const uint8_t *in, size_t units, bool big_endian, char *out, size_t outlen)
{
	size_t len = 0;
	if (outlen == 0)
		return;
	for (size_t i = 0; i < units; i++) {
		uint32_t cp = unit_at(in, i, big_endian);
		if (cp == 0)
			break;
		if (cp >= 0xD800 && cp < 0xDC00 && i + 1 < units) {
			unsigned low = unit_at(in, i + 1, big_endian);
			if (low >= 0xDC00 && low < 0xE000) {
				cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
				i++;
			} else {
				cp = 0xFFFD;
			}
		} else if (cp >= 0xD800 && cp < 0xE000) {
			cp = 0xFFFD;
		}
		put_utf8(cp, out, outlen, &len);
	}
	out[len] = '\0';
}
