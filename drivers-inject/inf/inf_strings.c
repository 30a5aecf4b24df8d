/* %strings% substitution: %key% from [Strings.0409], then [Strings], then any
 * other [Strings.LANGID] (keys case-insensitive); %% gives %; %NN% (DIRIDs)
 * and unknown keys stay as written, as does a lone %. */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "lifeboat/error.h"
#include "lifeboat/strbuf.h"
#include "inf_internal.h"

/* Longest text a substituted field may grow to. */
#define MAX_SUBSTITUTED (4 * LB_INF_MAX_FIELD)

static bool is_strings_section(const char *name)
{
	return strncasecmp(name, "Strings", 7) == 0 && (name[7] == '\0' || name[7] == '.');
}

static const char *lookup_in(const struct lb_inf_section *sec, const char *key, size_t len)
{
	for (size_t i = 0; i < sec->nlines; i++) {
		const struct lb_inf_line *l = &sec->lines[i];
		if (l->key && strlen(l->key) == len && strncasecmp(l->key, key, len) == 0)
			return lb_inf_field(l, 0);
	}
	return NULL;
}

static const char *lookup_string(const struct lb_inf *inf, const char *key, size_t len)
{
	const struct lb_inf_section *sec;
	const char *v;
	if ((sec = lb_inf_section(inf, "Strings.0409")) && (v = lookup_in(sec, key, len)))
		return v;
	if ((sec = lb_inf_section(inf, "Strings")) && (v = lookup_in(sec, key, len)))
		return v;
	for (size_t i = 0; i < inf->nsections; i++)
		if (is_strings_section(inf->sections[i].name) && (v = lookup_in(&inf->sections[i], key, len)))
			return v;
	return NULL;
}

/* Substitutes *text in place; 0 or a negative code. */
static int substitute(const struct lb_inf *inf, char **text, unsigned lineno)
{
	if (!strchr(*text, '%'))
		return 0;
	struct lb_strbuf sb;
	lb_strbuf_init(&sb);
	const char *s = *text;
	while (*s) {
		const char *close = s[0] == '%' ? strchr(s + 1, '%') : NULL;
		if (!close) {
			size_t n = s[0] == '%' ? 1 : strcspn(s, "%");
			lb_strbuf_append(&sb, s, n);
			s += n;
			continue;
		}
		size_t len = (size_t)(close - s - 1);
		const char *value = len ? lookup_string(inf, s + 1, len) : "%";
		if (value)
			lb_strbuf_puts(&sb, value);
		else
			lb_strbuf_append(&sb, s, len + 2);
		s = close + 1;
		if (sb.len > MAX_SUBSTITUTED) {
			lb_strbuf_free(&sb);
			return lb_fail(LB_E_INVALID, "%s:%u: field longer than %d characters after %%string%% substitution",
				       inf->name, lineno, MAX_SUBSTITUTED);
		}
	}
	lb_strbuf_append(&sb, "", 0);
	if (sb.failed) {
		lb_strbuf_free(&sb);
		return lb_fail(LB_E_NOMEM, "%s: out of memory", inf->name);
	}
	free(*text);
	*text = sb.data;
	return 0;
}

int inf_substitute_strings(struct lb_inf *inf)
{
	for (size_t i = 0; i < inf->nsections; i++) {
		struct lb_inf_section *sec = &inf->sections[i];
		if (is_strings_section(sec->name))
			continue;
		for (size_t j = 0; j < sec->nlines; j++) {
			struct lb_inf_line *l = &sec->lines[j];
			int rc = l->key ? substitute(inf, &l->key, l->lineno) : 0;
			for (size_t k = 0; rc == 0 && k < l->nfields; k++)
				rc = substitute(inf, &l->fields[k], l->lineno);
			if (rc < 0)
				return rc;
		}
	}
	return 0;
}
