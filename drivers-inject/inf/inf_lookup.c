/* Reading a parsed INF: loading a file, finding sections, keys and fields. */
#include "lifeboat/inf.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "lifeboat/error.h"
#include "lifeboat/io.h"
#include "inf_internal.h"

/* INF files larger than this are refused (the largest inbox ones are ~1 MB). */
#define MAX_INF_SIZE (16u << 20)

int lb_inf_load(const char *path, struct lb_inf **out)
{
	struct lb_dev *dev;
	int rc = lb_dev_open(path, LB_DEV_READ, &dev);
	if (rc < 0)
		return rc;
	if (dev->size > MAX_INF_SIZE) {
		lb_dev_close(dev);
		return lb_fail(LB_E_INVALID, "%s: larger than 16 MiB, not an INF file", path);
	}
	size_t len = (size_t)dev->size;
	unsigned char *data = malloc(len ? len : 1);
	if (!data) {
		lb_dev_close(dev);
		return lb_fail(LB_E_NOMEM, "%s: out of memory", path);
	}
	rc = lb_dev_read(dev, data, len, 0);
	lb_dev_close(dev);
	if (rc == 0) {
		const char *slash = strrchr(path, '/');
		rc = lb_inf_parse(slash ? slash + 1 : path, data, len, out);
	}
	free(data);
	return rc;
}

const struct lb_inf_section *lb_inf_section(const struct lb_inf *inf, const char *name)
{
	for (size_t i = 0; i < inf->nsections; i++)
		if (strcasecmp(inf->sections[i].name, name) == 0)
			return &inf->sections[i];
	return NULL;
}

const struct lb_inf_line *lb_inf_find(const struct lb_inf_section *sec, const char *key)
{
	if (!sec)
		return NULL;
	for (size_t i = 0; i < sec->nlines; i++)
		if (sec->lines[i].key && strcasecmp(sec->lines[i].key, key) == 0)
			return &sec->lines[i];
	return NULL;
}

const char *lb_inf_value(const struct lb_inf *inf, const char *section, const char *key)
{
	const struct lb_inf_line *l = lb_inf_find(lb_inf_section(inf, section), key);
	return l && l->nfields ? l->fields[0] : NULL;
}

const char *lb_inf_field(const struct lb_inf_line *line, size_t i)
{
	return i < line->nfields ? line->fields[i] : "";
}

int inf_parse_uint(const struct lb_inf *inf, unsigned lineno, const char *what, const char *text,
		   unsigned long max, unsigned long *out)
{
	char *end;
	errno = 0;
	unsigned long v = strtoul(text, &end, 0);
	while (*end == ' ' || *end == '\t')
		end++;
	if (!*text || *end || errno || v > max || text[0] == '-' || text[0] == '+')
		return lb_fail(LB_E_INVALID, "%s:%u: %s '%s' is not a number", inf->name, lineno, what, text);
	*out = v;
	return 0;
}
