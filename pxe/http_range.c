/* The Range request header (RFC 9110 §14.2): one "bytes=" range, either
 * FIRST-LAST, FIRST- or -SUFFIX. */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "http.h"

/* Reads decimal digits at *p; false when there are none or they overflow. */
static int read_number(const char **p, uint64_t *out)
{
	if (!isdigit((unsigned char)**p))
		return 0;
	char *end;
	errno = 0;
	unsigned long long v = strtoull(*p, &end, 10);
	if (errno)
		return 0;
	*p = end;
	*out = v;
	return 1;
}

enum http_range_result http_range_parse(const char *value, uint64_t size, uint64_t *first, uint64_t *last)
{
	while (*value == ' ' || *value == '\t')
		value++;
	if (strncasecmp(value, "bytes=", 6) != 0 || strchr(value, ','))
		return HTTP_RANGE_NONE;
	const char *p = value + 6;
	uint64_t a = 0, b = 0;
	int has_first = read_number(&p, &a);
	if (*p++ != '-')
		return HTTP_RANGE_NONE;
	int has_last = read_number(&p, &b);
	while (*p == ' ' || *p == '\t')
		p++;
	if (*p || (!has_first && !has_last) || (has_first && has_last && b < a))
		return HTTP_RANGE_NONE;
	if (!has_first) {
		if (b == 0 || size == 0)
			return HTTP_RANGE_UNSATISFIABLE;
		*first = b >= size ? 0 : size - b;
		*last = size - 1;
		return HTTP_RANGE_OK;
	}
	if (a >= size)
		return HTTP_RANGE_UNSATISFIABLE;
	*first = a;
	*last = has_last && b < size ? b : size - 1;
	return HTTP_RANGE_OK;
}
