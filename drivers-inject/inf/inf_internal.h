/* Helpers shared by the INF parser's files (not part of the public API). */
#ifndef LIFEBOAT_INF_INTERNAL_H
#define LIFEBOAT_INF_INTERNAL_H

#include <stddef.h>

#include "lifeboat/inf.h"
#include "../util/grow.h"

/* Replaces %key% in every section but the [Strings*] ones (inf_strings.c). */
int inf_substitute_strings(struct lb_inf *inf);

/* Parses text as an unsigned number (decimal, 0x hex, or 0 octal as
 * setupapi does); what names the field in the "file:line: ..." error. */
int inf_parse_uint(const struct lb_inf *inf, unsigned lineno, const char *what, const char *text,
		   unsigned long max, unsigned long *out);

/* Appends UTF-8 s as UTF-16LE followed by a NUL character to *buf. */
int inf_utf16le_append(const char *s, unsigned char **buf, size_t *len);

#endif
