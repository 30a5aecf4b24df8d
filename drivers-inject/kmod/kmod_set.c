/* The module set of a kernel: modules.dep ("path: dep-path ...") and
 * modules.builtin of /lib/modules/VERSION, plus loose .ko files, with
 * dependency-first load plans. */
#include "lifeboat/kmod.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "lifeboat/error.h"
#include "kmod_internal.h"

struct module {
	char name[128];
	char *path;       /* absolute; NULL for built-in modules */
	char **deps;      /* canonical names */
	size_t ndeps;
};

struct lb_kmod_set {
	char *moddir;
	struct module *mods;
	size_t n, cap;
};

static struct module *find(const struct lb_kmod_set *set, const char *name)
{
	char canon[128];
	lb_kmod_canonical(name, canon, sizeof canon);
	for (size_t i = 0; i < set->n; i++)
		if (strcmp(set->mods[i].name, canon) == 0)
			return &set->mods[i];
	return NULL;
}

static void clear_module(struct module *m)
{
	for (size_t i = 0; i < m->ndeps; i++)
		free(m->deps[i]);
	free(m->deps);
	free(m->path);
	m->deps = NULL;
	m->ndeps = 0;
	m->path = NULL;
}

/* The entry for name, created empty if new (or emptied if it exists). */
static struct module *entry(struct lb_kmod_set *set, const char *name)
{
	struct module *m = find(set, name);
	if (m) {
		clear_module(m);
		return m;
	}
	if (drv_grow((void **)&set->mods, &set->cap, set->n + 1, sizeof *set->mods) < 0)
		return NULL;
	m = &set->mods[set->n++];
	memset(m, 0, sizeof *m);
	lb_kmod_canonical(name, m->name, sizeof m->name);
	return m;
}

/* Adds the names in the separated list text to m->deps. */
static int add_deps(struct module *m, char *text, const char *separators)
{
	for (char *save, *tok = strtok_r(text, separators, &save); tok; tok = strtok_r(NULL, separators, &save)) {
		char **p = realloc(m->deps, (m->ndeps + 1) * sizeof *p);
		if (!p)
			return lb_fail(LB_E_NOMEM, "out of memory");
		m->deps = p;
		char canon[128];
		lb_kmod_canonical(tok, canon, sizeof canon);
		if (!(m->deps[m->ndeps] = strdup(canon)))
			return lb_fail(LB_E_NOMEM, "out of memory");
		m->ndeps++;
	}
	return 0;
}

static int read_dep_line(struct lb_kmod_set *set, char *line)
{
	char *colon = strchr(line, ':');
	if (!colon)
		return 0;
	*colon = '\0';
	struct module *m = entry(set, line);
	if (!m || asprintf(&m->path, "%s/%s", set->moddir, line) < 0) {
		if (m)
			m->path = NULL;
		return lb_fail(LB_E_NOMEM, "out of memory");
	}
	return add_deps(m, colon + 1, " \t\n");
}

static int read_file(struct lb_kmod_set *set, const char *file, bool required,
		     int (*per_line)(struct lb_kmod_set *, char *))
{
	char path[4096];
	kmod_pathf(path, sizeof path, "%s/%s", set->moddir, file);
	FILE *f = fopen(path, "re");
	if (!f)
		return required ? lb_fail_errno(LB_E_IO, "%s", path) : 0;
	char *line = NULL;
	size_t cap = 0;
	int rc = 0;
	while (rc == 0 && getline(&line, &cap, f) > 0)
		rc = per_line(set, line);
	free(line);
	fclose(f);
	return rc;
}

static int read_builtin_line(struct lb_kmod_set *set, char *line)
{
	line[strcspn(line, "\n")] = '\0';
	if (!*line || find(set, line))
		return 0;
	return entry(set, line) ? 0 : lb_fail(LB_E_NOMEM, "out of memory");
}

int lb_kmod_set_load(const char *moddir, struct lb_kmod_set **out)
{
	struct lb_kmod_set *set = calloc(1, sizeof *set);
	if (!set || !(set->moddir = strdup(moddir))) {
		free(set);
		return lb_fail(LB_E_NOMEM, "out of memory");
	}
	int rc = read_file(set, "modules.dep", true, read_dep_line);
	if (rc == 0)
		rc = read_file(set, "modules.builtin", false, read_builtin_line);
	if (rc < 0) {
		lb_kmod_set_free(set);
		return rc;
	}
	*out = set;
	return 0;
}

void lb_kmod_set_free(struct lb_kmod_set *set)
{
	if (!set)
		return;
	for (size_t i = 0; i < set->n; i++)
		clear_module(&set->mods[i]);
	free(set->mods);
	free(set->moddir);
	free(set);
}

int lb_kmod_set_add_file(struct lb_kmod_set *set, const char *path, const char **name)
{
	char *depends;
	int rc = kmod_modinfo_depends(path, &depends);
	if (rc < 0)
		return rc;
	struct module *m = entry(set, path);
	if (!m || !(m->path = realpath(path, NULL))) {
		free(depends);
		return m ? lb_fail_errno(LB_E_IO, "%s", path) : lb_fail(LB_E_NOMEM, "out of memory");
	}
	rc = add_deps(m, depends, ",");
	free(depends);
	*name = m->name;
	return rc;
}

enum lb_kmod_state lb_kmod_state(const struct lb_kmod_set *set, const char *name)
{
	const struct module *m = find(set, name);
	struct stat st;
	if (!m)
		return LB_KMOD_ABSENT;
	if (!m->path)
		return LB_KMOD_BUILTIN;
	return stat(m->path, &st) == 0 ? LB_KMOD_AVAILABLE : LB_KMOD_FILE_MISSING;
}

struct plan {
	const struct lb_kmod_set *set;
	const char *sysfs_root;
	char **paths;
	size_t n;
	const char *visiting[64];  /* the dependency chain being walked */
	size_t depth;
};

static bool loaded(const char *sysfs_root, const char *name)
{
	char path[4096];
	struct stat st;
	kmod_pathf(path, sizeof path, "%s/module/%s", sysfs_root, name);
	return stat(path, &st) == 0;
}

static int visit(struct plan *p, const char *name)
{
	const struct module *m = find(p->set, name);
	if (!m)
		return lb_fail(LB_E_NOTFOUND, "module %s is not in this module set", name);
	if (!m->path || loaded(p->sysfs_root, m->name))
		return 0;
	for (size_t i = 0; i < p->n; i++)
		if (strcmp(p->paths[i], m->path) == 0)
			return 0;
	for (size_t i = 0; i < p->depth; i++)
		if (p->visiting[i] == m->name)
			return lb_fail(LB_E_INVALID, "module %s depends on itself", m->name);
	if (p->depth == sizeof p->visiting / sizeof p->visiting[0])
		return lb_fail(LB_E_INVALID, "module %s: dependency chain too long", m->name);
	p->visiting[p->depth++] = m->name;
	for (size_t i = 0; i < m->ndeps; i++) {
		int rc = visit(p, m->deps[i]);
		if (rc < 0)
			return lb_fail_context(rc, "%s needs %s", m->name, m->deps[i]);
	}
	p->depth--;
	char **list = realloc(p->paths, (p->n + 1) * sizeof *list);
	if (!list)
		return lb_fail(LB_E_NOMEM, "out of memory");
	p->paths = list;
	if (!(list[p->n] = strdup(m->path)))
		return lb_fail(LB_E_NOMEM, "out of memory");
	p->n++;
	return 0;
}

int lb_kmod_plan(const struct lb_kmod_set *set, const char *name, const char *sysfs_root, char ***paths,
		 size_t *count)
{
	struct plan p = { .set = set, .sysfs_root = sysfs_root };
	int rc = visit(&p, name);
	if (rc < 0) {
		for (size_t i = 0; i < p.n; i++)
			free(p.paths[i]);
		free(p.paths);
		return rc;
	}
	*paths = p.paths;
	*count = p.n;
	return 0;
}
