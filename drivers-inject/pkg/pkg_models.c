/* Models sections: their device lines, and choosing the one a given
 * Windows would use (most specific matching decoration), with the reason
 * when none fits. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "lifeboat/error.h"
#include "lifeboat/strbuf.h"
#include "pkg_internal.h"

int pkg_read_devices(const struct lb_inf *inf, const struct lb_inf_section *sec, struct lb_drv_models *m)
{
	size_t cap = 0;
	for (size_t i = 0; i < sec->nlines; i++) {
		const struct lb_inf_line *l = &sec->lines[i];
		if (l->nfields < 2 || !*l->fields[0])
			return lb_fail(LB_E_INVALID, "%s:%u: Models line without an install section and a hardware ID",
				       inf->name, l->lineno);
		if (drv_grow((void **)&m->devices, &cap, m->ndevices + 1, sizeof *m->devices) < 0)
			return lb_fail(LB_E_NOMEM, "out of memory");
		struct lb_drv_device *d = &m->devices[m->ndevices++];
		memset(d, 0, sizeof *d);
		d->description = l->key ? l->key : "";
		d->install = l->fields[0];
		d->lineno = l->lineno;
		d->ids = calloc(l->nfields, sizeof *d->ids);
		if (!d->ids)
			return lb_fail(LB_E_NOMEM, "out of memory");
		for (size_t k = 1; k < l->nfields; k++)
			if (*l->fields[k])
				d->ids[d->nids++] = l->fields[k];
		if (d->nids == 0)
			return lb_fail(LB_E_INVALID, "%s:%u: Models line without a hardware ID", inf->name, l->lineno);
	}
	return 0;
}

/* Explains why no Models form of manufacturer fits target. */
static void explain_refusal(const struct lb_drv_package *pkg, size_t mfg, const struct lb_win_target *t)
{
	struct lb_strbuf offers;
	bool arch_seen = false, template = false;
	lb_strbuf_init(&offers);
	for (size_t i = 0; i < pkg->nmodels; i++) {
		const struct lb_drv_models *m = &pkg->models[i];
		if (m->mfg != mfg || !*m->decoration)
			continue;
		lb_strbuf_printf(&offers, "%s%s", offers.len ? ", " : "", m->decoration);
		arch_seen |= m->dec.arch == t->arch || m->dec.arch == LB_ARCH_ANY;
		template |= m->dec.arch == LB_ARCH_UNKNOWN;
	}
	const char *why = template ? "an un-stamped template (run stampinf) or an unknown architecture"
			  : !arch_seen ? "built for another architecture"
				       : "made for a newer Windows";
	lb_fail(LB_E_REFUSED, "%s: no Models section for Windows %u.%u (build %u) %s: the INF offers %s, %s",
		pkg->inf->name, t->major, t->minor, t->build, lb_arch_name(t->arch),
		offers.len ? lb_strbuf_str(&offers) : "only undecorated Models (x86 only)", why);
	lb_strbuf_free(&offers);
}

const struct lb_drv_models *lb_drv_select_models(const struct lb_drv_package *pkg, size_t mfg,
						 const struct lb_win_target *target)
{
	const struct lb_drv_models *best = NULL, *plain = NULL;
	for (size_t i = 0; i < pkg->nmodels; i++) {
		const struct lb_drv_models *m = &pkg->models[i];
		if (m->mfg != mfg || !m->present)
			continue;
		if (!*m->decoration) {
			plain = m;
			continue;
		}
		if (lb_inf_decoration_matches(&m->dec, target) &&
		    (!best || lb_inf_decoration_compare(&m->dec, &best->dec) > 0))
			best = m;
	}
	if (best)
		return best;
	if (plain && target->arch == LB_ARCH_X86)
		return plain;
	explain_refusal(pkg, mfg, target);
	return NULL;
}

static int has_inf_suffix(const char *name)
{
	size_t n = strlen(name);
	return n > 4 && strcasecmp(name + n - 4, ".inf") == 0;
}

static int compare_paths(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int lb_drv_find_infs(const char *dir, char ***paths, size_t *count)
{
	DIR *d = opendir(dir);
	if (!d)
		return lb_fail_errno(LB_E_IO, "%s", dir);
	char **list = NULL;
	size_t n = 0, cap = 0;
	int rc = 0;
	struct dirent *e;
	while (rc == 0 && (e = readdir(d))) {
		if (!has_inf_suffix(e->d_name))
			continue;
		if (drv_grow((void **)&list, &cap, n + 1, sizeof *list) < 0 ||
		    asprintf(&list[n], "%s/%s", dir, e->d_name) < 0)
			rc = lb_fail(LB_E_NOMEM, "out of memory");
		else
			n++;
	}
	closedir(d);
	if (rc < 0) {
		lb_drv_paths_free(list, n);
		return rc;
	}
	if (n)
		qsort(list, n, sizeof *list, compare_paths);
	*paths = list;
	*count = n;
	return 0;
}

void lb_drv_paths_free(char **paths, size_t count)
{
	pkg_list_free(paths, count);
}

int pkg_list_add(char ***list, size_t *n, const char *s)
{
	char **p = realloc(*list, (*n + 1) * sizeof *p);
	if (!p)
		return lb_fail(LB_E_NOMEM, "out of memory");
	*list = p;
	if (!(p[*n] = strdup(s)))
		return lb_fail(LB_E_NOMEM, "out of memory");
	(*n)++;
	return 0;
}

void pkg_list_free(char **list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(list[i]);
	free(list);
}
