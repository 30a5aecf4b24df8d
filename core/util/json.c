/* Streaming JSON writer: the one place that knows JSON's syntax and escaping. */
#include "lifeboat/json.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

void lb_json_init(struct lb_json *j, struct lb_strbuf *out)
{
	memset(j, 0, sizeof *j);
	j->out = out;
}

static void indent(struct lb_json *j)
{
	lb_strbuf_puts(j->out, "\n");
	for (int i = 0; i < j->depth; i++)
		lb_strbuf_puts(j->out, "  ");
}

static void escaped(struct lb_strbuf *out, const char *s)
{
	lb_strbuf_puts(out, "\"");
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		switch (*p) {
		case '"': lb_strbuf_puts(out, "\\\""); break;
		case '\\': lb_strbuf_puts(out, "\\\\"); break;
		case '\n': lb_strbuf_puts(out, "\\n"); break;
		case '\r': lb_strbuf_puts(out, "\\r"); break;
		case '\t': lb_strbuf_puts(out, "\\t"); break;
		default:
			if (*p < 0x20)
				lb_strbuf_printf(out, "\\u%04x", *p);
			else
				lb_strbuf_append(out, (const char *)p, 1);
		}
	}
	lb_strbuf_puts(out, "\"");
}

/* Writes the separator, indentation and "key": that precede a value. */
static void value_prefix(struct lb_json *j, const char *key)
{
	if (j->depth > 0) {
		if (j->need_comma[j->depth])
			lb_strbuf_puts(j->out, ",");
		j->need_comma[j->depth] = true;
		indent(j);
	}
	if (key) {
		escaped(j->out, key);
		lb_strbuf_puts(j->out, ": ");
	}
}

static void open_container(struct lb_json *j, const char *key, const char *bracket)
{
	value_prefix(j, key);
	lb_strbuf_puts(j->out, bracket);
	if (j->depth + 1 < LB_JSON_MAX_DEPTH)
		j->depth++;
	j->need_comma[j->depth] = false;
}

static void close_container(struct lb_json *j, const char *bracket)
{
	bool had_items = j->need_comma[j->depth];
	if (j->depth > 0)
		j->depth--;
	if (had_items)
		indent(j);
	lb_strbuf_puts(j->out, bracket);
	if (j->depth == 0)
		lb_strbuf_puts(j->out, "\n");
}

void lb_json_begin_object(struct lb_json *j, const char *key) { open_container(j, key, "{"); }
void lb_json_end_object(struct lb_json *j) { close_container(j, "}"); }
void lb_json_begin_array(struct lb_json *j, const char *key) { open_container(j, key, "["); }
void lb_json_end_array(struct lb_json *j) { close_container(j, "]"); }

void lb_json_string(struct lb_json *j, const char *key, const char *value)
{
	value_prefix(j, key);
	if (value)
		escaped(j->out, value);
	else
		lb_strbuf_puts(j->out, "null");
}

void lb_json_uint(struct lb_json *j, const char *key, uint64_t value)
{
	value_prefix(j, key);
	lb_strbuf_printf(j->out, "%" PRIu64, value);
}

void lb_json_int(struct lb_json *j, const char *key, int64_t value)
{
	value_prefix(j, key);
	lb_strbuf_printf(j->out, "%" PRId64, value);
}

void lb_json_double(struct lb_json *j, const char *key, double value)
{
	value_prefix(j, key);
	if (isfinite(value))
		lb_strbuf_printf(j->out, "%.6g", value);
	else
		lb_strbuf_puts(j->out, "null");
}

void lb_json_bool(struct lb_json *j, const char *key, bool value)
{
	value_prefix(j, key);
	lb_strbuf_puts(j->out, value ? "true" : "false");
}

void lb_json_null(struct lb_json *j, const char *key)
{
	value_prefix(j, key);
	lb_strbuf_puts(j->out, "null");
}
