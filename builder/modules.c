/* The kernel-module closure of the rescue system: the named modules plus
 * what modules.dep and modules.softdep say they need, copied from the
 * kernel's module tree; depmod then indexes the copy for modprobe. */
#include <dirent.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "lifeboat/error.h"
#include "rescue_root.h"
#include "run.h"
#include "stage.h"

struct kmodule {
	char *name;   /* normalized: '-' becomes '_' */
	char *path;   /* relative to the module directory */
	char *deps;   /* space-separated relative paths */
	bool wanted;
};

struct kmodule_set {
	struct kmodule *items;
	size_t count, cap;
};

/* "kernel/drivers/ata/ahci.ko" -> "ahci" (new string). */
static char *module_name(const char *path, size_t len)
{
	const char *slash = memrchr(path, '/', len);
	const char *base = slash ? slash + 1 : path;
	size_t n = (size_t)(path + len - base);
	const char *ko = strstr(base, ".ko");
	if (ko && (size_t)(ko - base) < n)
		n = (size_t)(ko - base);
	char *name = xasprintf("%.*s", (int)n, base);
	for (char *c = name; *c; c++)
		if (*c == '-')
			*c = '_';
	return name;
}

static void normalize(char *name)
{
	for (char *c = name; *c; c++)
		if (*c == '-')
			*c = '_';
}

static int load_dep(const char *modules_dir, struct kmodule_set *set)
{
	char *path = path_join(modules_dir, "modules.dep");
	struct lb_strbuf text;
	lb_strbuf_init(&text);
	int rc = read_text_file(path, &text);
	free(path);
	if (rc) {
		lb_strbuf_free(&text);
		return lb_fail(LB_E_NOTFOUND, "the kernel has no modules: %s/modules.dep is missing "
			       "(install the kernel's modules or give --modules-dir)", modules_dir);
	}
	for (char *line = strtok(text.data, "\n"); line; line = strtok(NULL, "\n")) {
		char *colon = strchr(line, ':');
		if (!colon)
			continue;
		if (set->count == set->cap) {
			set->cap = set->cap ? set->cap * 2 : 1024;
			set->items = realloc(set->items, set->cap * sizeof *set->items);
			if (!set->items)
				abort();
		}
		struct kmodule *m = &set->items[set->count++];
		m->path = xasprintf("%.*s", (int)(colon - line), line);
		m->name = module_name(line, (size_t)(colon - line));
		m->deps = xasprintf("%s", colon + 1);
		m->wanted = false;
	}
	lb_strbuf_free(&text);
	if (set->count == 0)
		return lb_fail(LB_E_NOTFOUND, "the kernel has no modules: %s/modules.dep is empty", modules_dir);
	return 0;
}

static struct kmodule *find_by(struct kmodule_set *set, const char *value, bool by_path)
{
	for (size_t i = 0; i < set->count; i++)
		if (strcmp(by_path ? set->items[i].path : set->items[i].name, value) == 0)
			return &set->items[i];
	return NULL;
}

static void want(struct kmodule_set *set, struct kmodule *m)
{
	if (!m || m->wanted)
		return;
	m->wanted = true;
	char *deps = xasprintf("%s", m->deps);
	char *save = NULL;
	for (char *d = strtok_r(deps, " \t", &save); d; d = strtok_r(NULL, " \t", &save))
		want(set, find_by(set, d, true));
	free(deps);
}

/* True when modules.builtin of the kernel lists name. */
static bool is_builtin(const char *modules_dir, const char *name)
{
	char *path = path_join(modules_dir, "modules.builtin");
	struct lb_strbuf text;
	lb_strbuf_init(&text);
	bool found = false;
	if (read_text_file(path, &text) == 0) {
		for (char *line = strtok(text.data, "\n"); line && !found; line = strtok(NULL, "\n")) {
			char *n = module_name(line, strlen(line));
			found = strcmp(n, name) == 0;
			free(n);
		}
	}
	lb_error_clear();
	lb_strbuf_free(&text);
	free(path);
	return found;
}

/* Adds the "pre:"/"post:" modules of each wanted module's softdep line. */
static void want_softdeps(const char *modules_dir, struct kmodule_set *set)
{
	char *path = path_join(modules_dir, "modules.softdep");
	struct lb_strbuf text;
	lb_strbuf_init(&text);
	if (read_text_file(path, &text) == 0) {
		char *save = NULL;
		for (char *line = strtok_r(text.data, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
			char *word_save = NULL;
			char *kw = strtok_r(line, " \t", &word_save);
			char *owner = kw && strcmp(kw, "softdep") == 0 ? strtok_r(NULL, " \t", &word_save) : NULL;
			if (!owner)
				continue;
			normalize(owner);
			struct kmodule *m = find_by(set, owner, false);
			if (!m || !m->wanted)
				continue;
			for (char *w = strtok_r(NULL, " \t", &word_save); w; w = strtok_r(NULL, " \t", &word_save)) {
				normalize(w);
				want(set, find_by(set, w, false));
			}
		}
	}
	lb_error_clear();
	lb_strbuf_free(&text);
	free(path);
}

/* Copies cfg->add_modules/ *.ko into updates/ and asks for their depends. */
static int add_extra_modules(const struct build_config *cfg, struct kmodule_set *set, const char *dst_dir)
{
	DIR *d = opendir(cfg->add_modules);
	if (!d)
		return lb_fail_errno(LB_E_NOTFOUND, "--add-modules %s", cfg->add_modules);
	int rc = 0;
	struct dirent *e;
	while (!rc && (e = readdir(d))) {
		size_t n = strlen(e->d_name);
		if (n < 4 || strcmp(e->d_name + n - 3, ".ko") != 0)
			continue;
		char *src = path_join(cfg->add_modules, e->d_name);
		char *dst = xasprintf("%s/updates/%s", dst_dir, e->d_name);
		struct lb_strbuf deps;
		lb_strbuf_init(&deps);
		rc = stage_copy_file(src, dst, 0644);
		if (!rc)
			rc = run_toolv(&(struct run_io){ .out = &deps }, "modinfo", "-F", "depends", src, NULL);
		for (char *w = deps.data ? strtok(deps.data, ",\n") : NULL; !rc && w; w = strtok(NULL, ",\n")) {
			normalize(w);
			want(set, find_by(set, w, false));
		}
		lb_strbuf_free(&deps);
		free(src);
		free(dst);
	}
	closedir(d);
	return rc;
}

static int copy_wanted(const struct build_config *cfg, struct kmodule_set *set, const char *dst_dir)
{
	static const char *const indexes[] = { "modules.order", "modules.builtin", "modules.builtin.modinfo" };
	int rc = 0;
	for (size_t i = 0; !rc && i < set->count; i++) {
		if (!set->items[i].wanted)
			continue;
		char *src = path_join(cfg->modules_dir, set->items[i].path);
		char *dst = path_join(dst_dir, set->items[i].path);
		rc = stage_copy_file(src, dst, 0644);
		free(src);
		free(dst);
	}
	for (size_t i = 0; !rc && i < sizeof indexes / sizeof *indexes; i++) {
		char *src = path_join(cfg->modules_dir, indexes[i]);
		char *dst = path_join(dst_dir, indexes[i]);
		struct stat st;
		if (stat(src, &st) == 0)
			rc = stage_copy_file(src, dst, 0644);
		free(src);
		free(dst);
	}
	return rc;
}

static void set_free(struct kmodule_set *set)
{
	for (size_t i = 0; i < set->count; i++) {
		free(set->items[i].name);
		free(set->items[i].path);
		free(set->items[i].deps);
	}
	free(set->items);
}

int modules_install(const struct build_config *cfg, const char *root, const char *names)
{
	struct kmodule_set set = { 0 };
	int rc = load_dep(cfg->modules_dir, &set);
	char *dst_dir = xasprintf("%s/lib/modules/%s", root, cfg->kernel_version);
	char *list = xasprintf("%s", names);
	char *save = NULL;
	for (char *n = rc ? NULL : strtok_r(list, "\n", &save); n; n = strtok_r(NULL, "\n", &save)) {
		normalize(n);
		struct kmodule *m = find_by(&set, n, false);
		if (m)
			want(&set, m);
		else if (!is_builtin(cfg->modules_dir, n))
			lb_warn("module %s is not in kernel %s; left out", n, cfg->kernel_version);
	}
	if (!rc && cfg->add_modules)
		rc = add_extra_modules(cfg, &set, dst_dir);
	if (!rc) {
		want_softdeps(cfg->modules_dir, &set);
		rc = copy_wanted(cfg, &set, dst_dir);
	}
	if (!rc)
		rc = run_toolv(NULL, "depmod", "-b", root, cfg->kernel_version, NULL);
	free(list);
	free(dst_dir);
	set_free(&set);
	return rc;
}
