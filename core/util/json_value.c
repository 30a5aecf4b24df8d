/* JSON reader: a recursive-descent parser into struct lb_jv trees, strict
 * about syntax, with \uXXXX escapes (surrogate pairs) decoded to UTF-8. */
#include "lifeboat/json_value.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lifeboat/error.h"
#include "lifeboat/strbuf.h"

#define JV_MAX_DEPTH 64

struct reader {
	const char *s;
	size_t len;
	size_t pos;
};

static int parse_value(struct reader *r, struct lb_jv *out, int depth);

static int syntax_error(const struct reader *r, const char *what)
{
	return lb_fail(LB_E_INVALID, "offset %zu: %s", r->pos, what);
}

static void skip_space(struct reader *r)
{
	while (r->pos < r->len && strchr(" \t\r\n", r->s[r->pos]) && r->s[r->pos])
		r->pos++;
}

static bool take(struct reader *r, char c)
{
	skip_space(r);
	if (r->pos < r->len && r->s[r->pos] == c) {
		r->pos++;
		return true;
	}
	return false;
}

static int hex4(struct reader *r, unsigned *out)
{
	if (r->len - r->pos < 4)
		return syntax_error(r, "short \\u escape");
	unsigned v = 0;
	for (int i = 0; i < 4; i++) {
		char c = r->s[r->pos++];
		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= (unsigned)(c - '0');
		else if (c >= 'a' && c <= 'f')
			v |= (unsigned)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			v |= (unsigned)(c - 'A' + 10);
		else
			return syntax_error(r, "bad \\u escape");
	}
	*out = v;
	return 0;
}

static void put_utf8(struct lb_strbuf *sb, unsigned cp)
{
	char b[4];
	size_t n;
	if (cp < 0x80) {
		b[0] = (char)cp;
		n = 1;
	} else if (cp < 0x800) {
		b[0] = (char)(0xC0 | (cp >> 6));
		b[1] = (char)(0x80 | (cp & 0x3F));
		n = 2;
	} else if (cp < 0x10000) {
		b[0] = (char)(0xE0 | (cp >> 12));
		b[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		b[2] = (char)(0x80 | (cp & 0x3F));
		n = 3;
	} else {
		b[0] = (char)(0xF0 | (cp >> 18));
		b[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
		b[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
		b[3] = (char)(0x80 | (cp & 0x3F));
		n = 4;
	}
	lb_strbuf_append(sb, b, n);
}

static int parse_escape(struct reader *r, struct lb_strbuf *sb)
{
	if (r->pos >= r->len)
		return syntax_error(r, "unterminated string");
	char c = r->s[r->pos++];
	const char *from = "\"\\/bfnrt", *to = "\"\\/\b\f\n\r\t";
	const char *hit = c ? strchr(from, c) : NULL;
	if (hit) {
		lb_strbuf_append(sb, to + (hit - from), 1);
		return 0;
	}
	if (c != 'u')
		return syntax_error(r, "bad escape");
	unsigned cp, low;
	if (hex4(r, &cp) < 0)
		return LB_E_INVALID;
	if (cp >= 0xD800 && cp <= 0xDBFF) {
		if (r->len - r->pos < 2 || r->s[r->pos] != '\\' || r->s[r->pos + 1] != 'u')
			return syntax_error(r, "lone surrogate");
		r->pos += 2;
		if (hex4(r, &low) < 0)
			return LB_E_INVALID;
		if (low < 0xDC00 || low > 0xDFFF)
			return syntax_error(r, "bad surrogate pair");
		cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
	} else if (cp >= 0xDC00 && cp <= 0xDFFF) {
		return syntax_error(r, "lone surrogate");
	}
	put_utf8(sb, cp);
	return 0;
}

static int parse_string(struct reader *r, char **out)
{
	struct lb_strbuf sb;
	lb_strbuf_init(&sb);
	lb_strbuf_puts(&sb, "");
	r->pos++;
	for (;;) {
		if (r->pos >= r->len) {
			lb_strbuf_free(&sb);
			return syntax_error(r, "unterminated string");
		}
		char c = r->s[r->pos++];
		if (c == '"')
			break;
		if ((unsigned char)c < 0x20) {
			lb_strbuf_free(&sb);
			return syntax_error(r, "control character in a string");
		}
		if (c != '\\') {
			lb_strbuf_append(&sb, &c, 1);
		} else if (parse_escape(r, &sb) < 0) {
			lb_strbuf_free(&sb);
			return LB_E_INVALID;
		}
	}
	if (sb.failed) {
		lb_strbuf_free(&sb);
		return lb_fail(LB_E_NOMEM, "out of memory");
	}
	*out = sb.data;
	return 0;
}

static int parse_number(struct reader *r, struct lb_jv *out)
{
	size_t start = r->pos;
	if (r->s[r->pos] == '-')
		r->pos++;
	size_t digits = 0;
	while (r->pos < r->len && strchr("0123456789.eE+-", r->s[r->pos]) && r->s[r->pos]) {
		r->pos++;
		digits++;
	}
	char buf[64];
	size_t n = r->pos - start;
	if (digits == 0 || n >= sizeof buf)
		return syntax_error(r, "bad number");
	memcpy(buf, r->s + start, n);
	buf[n] = '\0';
	char *end;
	out->type = LB_JV_NUMBER;
	out->number = strtod(buf, &end);
	return *end ? syntax_error(r, "bad number") : 0;
}

static int grow(struct lb_jv *v, bool with_keys)
{
	struct lb_jv *items = realloc(v->items, (v->count + 1) * sizeof *items);
	if (!items)
		return lb_fail(LB_E_NOMEM, "out of memory");
	v->items = items;
	memset(&items[v->count], 0, sizeof *items);
	if (with_keys) {
		char **keys = realloc(v->keys, (v->count + 1) * sizeof *keys);
		if (!keys)
			return lb_fail(LB_E_NOMEM, "out of memory");
		v->keys = keys;
		keys[v->count] = NULL;
	}
	return 0;
}

static int parse_container(struct reader *r, struct lb_jv *out, int depth, bool object)
{
	out->type = object ? LB_JV_OBJECT : LB_JV_ARRAY;
	r->pos++;
	if (take(r, object ? '}' : ']'))
		return 0;
	do {
		int rc = grow(out, object);
		if (rc < 0)
			return rc;
		unsigned i = out->count++;
		if (object) {
			skip_space(r);
			if (r->pos >= r->len || r->s[r->pos] != '"')
				return syntax_error(r, "expected a key");
			if ((rc = parse_string(r, &out->keys[i])) < 0)
				return rc;
			if (!take(r, ':'))
				return syntax_error(r, "expected ':'");
		}
		if ((rc = parse_value(r, &out->items[i], depth + 1)) < 0)
			return rc;
	} while (take(r, ','));
	if (!take(r, object ? '}' : ']'))
		return syntax_error(r, object ? "expected ',' or '}'" : "expected ',' or ']'");
	return 0;
}

static bool take_word(struct reader *r, const char *word)
{
	size_t n = strlen(word);
	if (r->len - r->pos < n || memcmp(r->s + r->pos, word, n) != 0)
		return false;
	r->pos += n;
	return true;
}

static int parse_value(struct reader *r, struct lb_jv *out, int depth)
{
	if (depth > JV_MAX_DEPTH)
		return syntax_error(r, "nested too deeply");
	skip_space(r);
	if (r->pos >= r->len)
		return syntax_error(r, "unexpected end");
	char c = r->s[r->pos];
	if (c == '{' || c == '[')
		return parse_container(r, out, depth, c == '{');
	if (c == '"') {
		out->type = LB_JV_STRING;
		return parse_string(r, &out->string);
	}
	if (c == '-' || (c >= '0' && c <= '9'))
		return parse_number(r, out);
	if (take_word(r, "true") || take_word(r, "false")) {
		out->type = LB_JV_BOOL;
		out->boolean = c == 't';
		return 0;
	}
	if (take_word(r, "null")) {
		out->type = LB_JV_NULL;
		return 0;
	}
	return syntax_error(r, "unexpected character");
}

static void free_members(struct lb_jv *v)
{
	for (unsigned i = 0; i < v->count; i++) {
		free_members(&v->items[i]);
		if (v->keys)
			free(v->keys[i]);
	}
	free(v->items);
	free(v->keys);
	free(v->string);
}

int lb_jv_parse(const char *text, size_t len, struct lb_jv **out)
{
	*out = NULL;
	struct lb_jv *v = calloc(1, sizeof *v);
	if (!v)
		return lb_fail(LB_E_NOMEM, "out of memory");
	struct reader r = { text, len, 0 };
	int rc = parse_value(&r, v, 0);
	skip_space(&r);
	if (rc == 0 && r.pos != len)
		rc = syntax_error(&r, "trailing data");
	if (rc < 0) {
		lb_jv_free(v);
		return rc;
	}
	*out = v;
	return 0;
}

void lb_jv_free(struct lb_jv *value)
{
	if (!value)
		return;
	free_members(value);
	free(value);
}

const struct lb_jv *lb_jv_get(const struct lb_jv *object, const char *key)
{
	if (!object || object->type != LB_JV_OBJECT)
		return NULL;
	for (unsigned i = 0; i < object->count; i++)
		if (strcmp(object->keys[i], key) == 0)
			return &object->items[i];
	return NULL;
}

const char *lb_jv_get_string(const struct lb_jv *object, const char *key, const char *fallback)
{
	const struct lb_jv *v = lb_jv_get(object, key);
	return v && v->type == LB_JV_STRING ? v->string : fallback;
}

double lb_jv_get_number(const struct lb_jv *object, const char *key, double fallback)
{
	const struct lb_jv *v = lb_jv_get(object, key);
	return v && v->type == LB_JV_NUMBER ? v->number : fallback;
}
