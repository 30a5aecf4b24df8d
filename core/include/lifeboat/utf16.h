/* UTF-16 text as file systems and partition tables store it (GPT names,
 * exFAT and Joliet labels), converted to NUL-terminated UTF-8. */
#ifndef LIFEBOAT_UTF16_H
#define LIFEBOAT_UTF16_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Converts up to units code units at in (stopping at a NUL unit) into out,
 * which always ends up NUL-terminated; unpaired surrogates become U+FFFD and
 * characters that do not fit are dropped. big_endian selects UTF-16BE. */
void lb_utf16_to_utf8(const uint8_t *in, size_t units, bool big_endian, char *out, size_t outlen);

#endif
