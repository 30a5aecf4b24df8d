/* The INF lexer: sections, lines, keys and fields, following the rules of
 * Wine's setupapi parser (comments, quoting with "" escapes, trailing '\'
 * continuation, merged repeated sections), with one-line file:line errors. */
#include "lifeboat/inf.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "lifeboat/error.h"
#include "lifeboat/strbuf.h"
#include "inf_internal.h"

#define MAX_SECTION_NAME 255

struct parser {
	const char *name;
	const char *p;
	unsigned line;
	struct lb_inf *inf;
	long cur;  /* index of the current section, -1 before the first */
	struct lb_strbuf field;
};

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

static void skip_blanks(struct parser *ps)
{
	while (is_blank(*ps->p))
		ps->p++;
}

static void skip_to_eol(struct parser *ps)
{
	while (*ps->p && *ps->p != '\n')
		ps->p++;
}

static int fail_at(struct parser *ps, const char *what)
{
	return lb_fail(LB_E_INVALID, "%s:%u: %s", ps->name, ps->line, what);
}

static int nomem(struct parser *ps)
{
	return lb_fail(LB_E_NOMEM, "%s: out of memory", ps->name);
}

static int open_section(struct parser *ps, const char *name, size_t len)
{
	struct lb_inf *inf = ps->inf;
	for (size_t i = 0; i < inf->nsections; i++) {
		if (strlen(inf->sections[i].name) == len && strncasecmp(inf->sections[i].name, name, len) == 0) {
			ps->cur = (long)i;
			return 0;
		}
	}
	if (drv_grow((void **)&inf->sections, &inf->cap, inf->nsections + 1, sizeof *inf->sections) < 0)
		return nomem(ps);
	struct lb_inf_section *s = &inf->sections[inf->nsections];
	memset(s, 0, sizeof *s);
	s->name = strndup(name, len);
	if (!s->name)
		return nomem(ps);
	ps->cur = (long)inf->nsections++;
	return 0;
}

static int parse_section_header(struct parser *ps)
{
	const char *start = ++ps->p;
	while (*ps->p && *ps->p != ']' && *ps->p != '\n')
		ps->p++;
	if (*ps->p != ']')
		return fail_at(ps, "section name without a closing ']'");
	const char *end = ps->p;
	while (start < end && is_blank(*start))
		start++;
	while (end > start && is_blank(end[-1]))
		end--;
	if (end == start)
		return fail_at(ps, "empty section name");
	if (end - start > MAX_SECTION_NAME)
		return fail_at(ps, "section name longer than 255 characters");
	skip_to_eol(ps);
	return open_section(ps, start, (size_t)(end - start));
}

/* Consumes a '\' that ends the physical line; false if it does not. */
static bool take_continuation(struct parser *ps)
{
	const char *q = ps->p + 1;
	while (is_blank(*q))
		q++;
	if (*q != '\n' && *q != '\0')
		return false;
	ps->p = *q ? q + 1 : q;
	if (*q)
		ps->line++;
	skip_blanks(ps);
	return true;
}

enum field_end { END_LINE, END_COMMA, END_EQUALS };

/* Reads one field into ps->field; *end tells what stopped it. */
static int parse_field(struct parser *ps, bool equals_ends, enum field_end *end)
{
	struct lb_strbuf *f = &ps->field;
	size_t keep = 0;
	bool quoted = false;
	f->len = 0;
	lb_strbuf_append(f, "", 0);
	skip_blanks(ps);
	for (;;) {
		char c = *ps->p;
		if (quoted) {
			if (c == '\0' || c == '\n')
				return fail_at(ps, "unterminated quoted string");
			if (c == '"' && ps->p[1] == '"') {
				lb_strbuf_append(f, "\"", 1);
				ps->p += 2;
			} else if (c == '"') {
				quoted = false;
				ps->p++;
			} else {
				lb_strbuf_append(f, &c, 1);
				ps->p++;
			}
			keep = f->len;
		} else if (c == '"') {
			quoted = true;
			ps->p++;
			keep = f->len;
		} else if (c == '\0' || c == '\n' || c == ';') {
			*end = END_LINE;
			break;
		} else if (c == ',') {
			ps->p++;
			*end = END_COMMA;
			break;
		} else if (c == '=' && equals_ends) {
			ps->p++;
			*end = END_EQUALS;
			break;
		} else if (c == '\\' && take_continuation(ps)) {
			continue;
		} else {
			lb_strbuf_append(f, &c, 1);
			ps->p++;
			if (!is_blank(c))
				keep = f->len;
		}
		if (f->len > LB_INF_MAX_FIELD)
			return fail_at(ps, "field longer than 4096 characters");
	}
	if (f->failed)
		return nomem(ps);
	f->len = keep;
	f->data[keep] = '\0';
	return 0;
}

static int add_field(struct parser *ps, struct lb_inf_line *line, size_t *cap)
{
	if (drv_grow((void **)&line->fields, cap, line->nfields + 1, sizeof *line->fields) < 0)
		return nomem(ps);
	line->fields[line->nfields] = strdup(ps->field.data);
	if (!line->fields[line->nfields])
		return nomem(ps);
	line->nfields++;
	return 0;
}

static int parse_line(struct parser *ps)
{
	if (ps->cur < 0)
		return fail_at(ps, "text outside any [section]");
	struct lb_inf_section *sec = &ps->inf->sections[ps->cur];
	if (drv_grow((void **)&sec->lines, &sec->cap, sec->nlines + 1, sizeof *sec->lines) < 0)
		return nomem(ps);
	struct lb_inf_line *line = &sec->lines[sec->nlines++];
	memset(line, 0, sizeof *line);
	line->lineno = ps->line;
	size_t cap = 0;
	enum field_end end;
	do {
		bool key_possible = !line->key && line->nfields == 0;
		int rc = parse_field(ps, key_possible, &end);
		if (rc < 0)
			return rc;
		if (end == END_EQUALS) {
			line->key = strdup(ps->field.data);
			if (!line->key)
				return nomem(ps);
			end = END_COMMA;
			continue;
		}
		rc = add_field(ps, line, &cap);
		if (rc < 0)
			return rc;
	} while (end == END_COMMA);
	if (!line->key && line->nfields == 1) {
		line->key = strdup(line->fields[0]);
		if (!line->key)
			return nomem(ps);
	}
	skip_to_eol(ps);
	return 0;
}

static int parse_text(struct parser *ps)
{
	while (*ps->p) {
		skip_blanks(ps);
		int rc = 0;
		switch (*ps->p) {
		case '\0':
			return 0;
		case '\n':
			break;
		case ';':
			skip_to_eol(ps);
			break;
		case '[':
			rc = parse_section_header(ps);
			break;
		default:
			rc = parse_line(ps);
			break;
		}
		if (rc < 0)
			return rc;
		if (*ps->p == '\n') {
			ps->p++;
			ps->line++;
		}
	}
	return 0;
}

int lb_inf_parse(const char *name, const void *data, size_t len, struct lb_inf **out)
{
	char *text;
	int rc = lb_inf_decode(name, data, len, &text);
	if (rc < 0)
		return rc;
	struct lb_inf *inf = calloc(1, sizeof *inf);
	if (!inf || !(inf->name = strdup(name))) {
		free(inf);
		free(text);
		return lb_fail(LB_E_NOMEM, "%s: out of memory", name);
	}
	struct parser ps = { .name = name, .p = text, .line = 1, .inf = inf, .cur = -1 };
	lb_strbuf_init(&ps.field);
	rc = parse_text(&ps);
	lb_strbuf_free(&ps.field);
	free(text);
	if (rc == 0)
		rc = inf_substitute_strings(inf);
	if (rc < 0) {
		lb_inf_free(inf);
		return rc;
	}
	*out = inf;
	return 0;
}

void lb_inf_free(struct lb_inf *inf)
{
	if (!inf)
		return;
	for (size_t i = 0; i < inf->nsections; i++) {
		struct lb_inf_section *s = &inf->sections[i];
		for (size_t j = 0; j < s->nlines; j++) {
			free(s->lines[j].key);
			for (size_t k = 0; k < s->lines[j].nfields; k++)
				free(s->lines[j].fields[k]);
			free(s->lines[j].fields);
		}
		free(s->lines);
		free(s->name);
	}
	free(inf->sections);
	free(inf->name);
	free(inf);
}
