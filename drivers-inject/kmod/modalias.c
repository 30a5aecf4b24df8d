/* modules.alias: "alias PATTERN MODULE" lines, matched against a device's
 * modalias with shell wildcards (fnmatch), as modprobe does. */
#include "lifeboat/kmod.h"

#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lifeboat/error.h"
#include "kmod_internal.h"

struct alias {
	char *pattern;
	char *module;
	size_t literal;  /* length of the pattern's prefix without wildcards */
};

struct lb_kmod_aliases {
	struct alias *items;
	size_t n, cap;
};

static int add_alias(struct lb_kmod_aliases *db, const char *pattern, const char *module)
{
	if (drv_grow((void **)&db->items, &db->cap, db->n + 1, sizeof *db->items) < 0)
		return lb_fail(LB_E_NOMEM, "out of memory");
	struct alias *a = &db->items[db->n];
	char canon[256];
	lb_kmod_canonical(module, canon, sizeof canon);
	a->pattern = strdup(pattern);
	a->module = strdup(canon);
	if (!a->pattern || !a->module) {
		free(a->pattern);
		free(a->module);
		return lb_fail(LB_E_NOMEM, "out of memory");
	}
	a->literal = strcspn(pattern, "*?[\\");
	db->n++;
	return 0;
}

int lb_kmod_aliases_load(const char *path, struct lb_kmod_aliases **out)
{
	FILE *f = fopen(path, "re");
	if (!f)
		return lb_fail_errno(LB_E_IO, "%s", path);
	struct lb_kmod_aliases *db = calloc(1, sizeof *db);
	char *line = NULL;
	size_t cap = 0;
	int rc = db ? 0 : lb_fail(LB_E_NOMEM, "out of memory");
	while (rc == 0 && getline(&line, &cap, f) > 0) {
		char pattern[1024], module[256];
		if (line[0] == '#' || sscanf(line, "alias %1023s %255s", pattern, module) != 2)
			continue;
		rc = add_alias(db, pattern, module);
	}
	free(line);
	fclose(f);
	if (rc < 0) {
		lb_kmod_aliases_free(db);
		return rc;
	}
	*out = db;
	return 0;
}

void lb_kmod_aliases_free(struct lb_kmod_aliases *db)
{
	if (!db)
		return;
	for (size_t i = 0; i < db->n; i++) {
		free(db->items[i].pattern);
		free(db->items[i].module);
	}
	free(db->items);
	free(db);
}

int lb_kmod_aliases_match(const struct lb_kmod_aliases *db, const char *modalias, const char ***names,
			  size_t *count)
{
	const char **list = NULL;
	size_t n = 0, cap = 0;
	for (size_t i = 0; i < db->n; i++) {
		const struct alias *a = &db->items[i];
		if (strncmp(a->pattern, modalias, a->literal) != 0 || fnmatch(a->pattern, modalias, 0) != 0)
			continue;
		bool seen = false;
		for (size_t k = 0; k < n && !seen; k++)
			seen = strcmp(list[k], a->module) == 0;
		if (seen)
			continue;
		if (drv_grow((void **)&list, &cap, n + 1, sizeof *list) < 0) {
			free(list);
			return lb_fail(LB_E_NOMEM, "out of memory");
		}
		list[n++] = a->module;
	}
	*names = list;
	*count = n;
	return 0;
}

void lb_kmod_canonical(const char *in, char *out, size_t len)
{
	const char *base = strrchr(in, '/');
	base = base ? base + 1 : in;
	size_t n = strcspn(base, ".");
	if (n >= len)
		n = len - 1;
	for (size_t i = 0; i < n; i++)
		out[i] = base[i] == '-' ? '_' : base[i];
	out[n] = '\0';
}
