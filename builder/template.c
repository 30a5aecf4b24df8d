/* Templates from iso-templates/: boot menus, /init and its helpers, and the
 * word lists (modules, tools). @KEY@ is replaced by its value. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "build.h"
#include "lifeboat/error.h"
#include "stage.h"

static const char *lookup(const struct template_var *vars, const char *key, size_t len)
{
	for (; vars && vars->key; vars++)
		if (strlen(vars->key) == len && memcmp(vars->key, key, len) == 0)
			return vars->value;
	return NULL;
}

static int read_template(const struct build_config *cfg, const char *name, struct lb_strbuf *text)
{
	char *path = path_join(cfg->templates, name);
	int rc = read_text_file(path, text);
	free(path);
	return rc ? lb_fail_context(rc, "template %s", name) : 0;
}

int template_render(const struct build_config *cfg, const char *name,
		    const struct template_var *vars, struct lb_strbuf *out)
{
	struct lb_strbuf text;
	lb_strbuf_init(&text);
	int rc = read_template(cfg, name, &text);
	const char *p = lb_strbuf_str(&text);
	while (!rc && *p) {
		const char *at = strchr(p, '@');
		if (!at) {
			lb_strbuf_puts(out, p);
			break;
		}
		lb_strbuf_append(out, p, (size_t)(at - p));
		size_t len = 0;
		while (isupper((unsigned char)at[1 + len]) || at[1 + len] == '_')
			len++;
		const char *value = len && at[1 + len] == '@' ? lookup(vars, at + 1, len) : NULL;
		if (value) {
			lb_strbuf_puts(out, value);
			p = at + len + 2;
		} else {
			lb_strbuf_append(out, "@", 1);
			p = at + 1;
		}
	}
	lb_strbuf_free(&text);
	return rc;
}

int template_write(const struct build_config *cfg, const char *name,
		   const struct template_var *vars, const char *path, unsigned mode)
{
	struct lb_strbuf out;
	lb_strbuf_init(&out);
	int rc = template_render(cfg, name, vars, &out);
	if (!rc)
		rc = stage_write_file(path, lb_strbuf_str(&out), mode);
	lb_strbuf_free(&out);
	return rc;
}

int template_words(const struct build_config *cfg, const char *name, struct lb_strbuf *out)
{
	struct lb_strbuf text;
	lb_strbuf_init(&text);
	int rc = read_template(cfg, name, &text);
	char *data = text.data;
	for (char *line = data ? strtok(data, "\n") : NULL; !rc && line; line = strtok(NULL, "\n")) {
		line[strcspn(line, "#")] = '\0';
		for (char *w = line; *w;) {
			w += strspn(w, " \t");
			size_t n = strcspn(w, " \t");
			if (n) {
				lb_strbuf_append(out, w, n);
				lb_strbuf_puts(out, "\n");
			}
			w += n;
		}
	}
	lb_strbuf_free(&text);
	return rc;
}

int template_each_word(const struct build_config *cfg, const char *name,
		       int (*fn)(const char *word, void *ctx), void *ctx)
{
	struct lb_strbuf names;
	lb_strbuf_init(&names);
	int rc = template_words(cfg, name, &names);
	char *save = NULL;
	for (char *w = rc ? NULL : strtok_r(names.data, "\n", &save); !rc && w; w = strtok_r(NULL, "\n", &save))
		rc = fn(w, ctx);
	lb_strbuf_free(&names);
	return rc;
}
