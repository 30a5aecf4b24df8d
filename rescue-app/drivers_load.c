/* Loading kernel modules in the rescue system, shared by `lifeboat drivers
 * load` and the TUI's Drivers screen: module names, .ko files or folders of
 * them, with their dependencies (modules.dep, or a loose module's .modinfo)
 * through finit_module; says which disks and network interfaces appeared. */
#include "drivers_load.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <time.h>

#include "lifeboat/error.h"
#include "lifeboat/kmod.h"

int drivers_default_moddir(char *buf, size_t len, const char **moddir)
{
	struct utsname u;
	if (*moddir)
		return 0;
	if (uname(&u) != 0)
		return lb_fail_errno(LB_E_IO, "uname");
	snprintf(buf, len, "/lib/modules/%s", u.release);
	struct stat st;
	if (stat(buf, &st) != 0)
		return lb_fail(LB_E_NOTFOUND, "%s: no modules for the running kernel (give --modules DIR)", buf);
	*moddir = buf;
	return 0;
}

const char *drivers_state_text(enum lb_kmod_state s)
{
	switch (s) {
	case LB_KMOD_BUILTIN: return "built-in";
	case LB_KMOD_AVAILABLE: return "available";
	case LB_KMOD_FILE_MISSING: return "not carried by this rescue system";
	default: return "not in this kernel's module set";
	}
}

int drivers_view_load(const char *moddir, const char *sysfs, struct drivers_view *v)
{
	memset(v, 0, sizeof *v);
	char path[4096];
	snprintf(path, sizeof path, "%s/modules.alias", moddir);
	int rc = lb_kmod_aliases_load(path, &v->aliases);
	if (rc == 0)
		rc = lb_kmod_set_load(moddir, &v->set);
	if (rc == 0)
		rc = lb_sysfs_devices(sysfs, &v->devs, &v->ndevs);
	if (rc < 0)
		drivers_view_free(v);
	return rc;
}

void drivers_view_free(struct drivers_view *v)
{
	lb_sysfs_devices_free(v->devs, v->ndevs);
	lb_kmod_aliases_free(v->aliases);
	lb_kmod_set_free(v->set);
	memset(v, 0, sizeof *v);
}

/* How long to wait for devices of a freshly loaded driver to show up. */
#define SETTLE_MS 3000
#define MAX_NAMES 512

struct names {
	char *v[MAX_NAMES];
	size_t n;
};

static void names_read(const char *dir, struct names *out)
{
	out->n = 0;
	DIR *d = opendir(dir);
	if (!d)
		return;
	struct dirent *e;
	while ((e = readdir(d)) && out->n < MAX_NAMES)
		if (e->d_name[0] != '.' && (out->v[out->n] = strdup(e->d_name)))
			out->n++;
	closedir(d);
}

static void names_free(struct names *n)
{
	for (size_t i = 0; i < n->n; i++)
		free(n->v[i]);
	n->n = 0;
}

static bool names_has(const struct names *n, const char *name)
{
	for (size_t i = 0; i < n->n; i++)
		if (strcmp(n->v[i], name) == 0)
			return true;
	return false;
}

/* Counts the entries of sysfs/class/cls not in before, printing each as
 * "new WHAT: NAME" unless what is NULL. */
static size_t new_entries(const char *sysfs, const char *cls, const struct names *before, const char *what,
			  struct lb_strbuf *out)
{
	char dir[4096];
	struct names now;
	snprintf(dir, sizeof dir, "%s/class/%s", sysfs, cls);
	names_read(dir, &now);
	size_t found = 0;
	for (size_t i = 0; i < now.n; i++) {
		if (names_has(before, now.v[i]))
			continue;
		if (what)
			lb_strbuf_printf(out, "new %s: %s\n", what, now.v[i]);
		found++;
	}
	names_free(&now);
	return found;
}

static bool is_module_file(const char *name)
{
	return strstr(name, ".ko") != NULL &&
	       (strlen(strstr(name, ".ko")) == 3 || strcmp(strstr(name, ".ko"), ".ko.xz") == 0 ||
		strcmp(strstr(name, ".ko"), ".ko.zst") == 0 || strcmp(strstr(name, ".ko"), ".ko.gz") == 0);
}

/* Adds a module file or every module file of a folder; records the names to load. */
static int add_target(struct lb_kmod_set *set, const char *target, const char **wanted, size_t *nwanted,
		      size_t max)
{
	struct stat st;
	if (stat(target, &st) != 0) {
		if (strchr(target, '/') || is_module_file(target))
			return lb_fail(LB_E_NOTFOUND, "%s: no such file or folder", target);
		if (*nwanted < max)
			wanted[(*nwanted)++] = target;
		return 0;
	}
	if (!S_ISDIR(st.st_mode)) {
		const char *name;
		int rc = lb_kmod_set_add_file(set, target, &name);
		if (rc < 0)
			return rc;
		if (*nwanted < max)
			wanted[(*nwanted)++] = name;
		return 0;
	}
	DIR *d = opendir(target);
	if (!d)
		return lb_fail_errno(LB_E_IO, "%s: cannot read the folder", target);
	struct dirent *e;
	int rc = 0;
	size_t before = *nwanted;
	while (rc == 0 && (e = readdir(d))) {
		char path[4096];
		if (!is_module_file(e->d_name))
			continue;
		snprintf(path, sizeof path, "%s/%s", target, e->d_name);
		rc = add_target(set, path, wanted, nwanted, max);
	}
	closedir(d);
	if (rc == 0 && *nwanted == before)
		return lb_fail(LB_E_NOTFOUND, "%s: no kernel module (.ko) in this folder", target);
	return rc;
}

static void wait_for_devices(const char *sysfs, const struct names *blocks, const struct names *nets)
{
	struct timespec step = { 0, 100 * 1000 * 1000 };
	for (int waited = 0; waited < SETTLE_MS; waited += 100) {
		if (new_entries(sysfs, "block", blocks, NULL, NULL) || new_entries(sysfs, "net", nets, NULL, NULL))
			return;
		nanosleep(&step, NULL);
	}
}

static int load_all(struct lb_kmod_set *set, const char **wanted, size_t nwanted, const char *sysfs, bool dry_run,
		    struct lb_strbuf *out)
{
	struct names blocks, nets;
	char dir[4096];
	snprintf(dir, sizeof dir, "%s/class/block", sysfs);
	names_read(dir, &blocks);
	snprintf(dir, sizeof dir, "%s/class/net", sysfs);
	names_read(dir, &nets);
	int rc = 0;
	size_t inserted = 0;
	for (size_t i = 0; i < nwanted && rc == 0; i++) {
		char **paths;
		size_t n;
		if ((rc = lb_kmod_plan(set, wanted[i], sysfs, &paths, &n)) < 0)
			break;
		if (n == 0)
			lb_strbuf_printf(out, "%s: already loaded or built in\n", wanted[i]);
		for (size_t k = 0; k < n && rc == 0; k++) {
			if (dry_run) {
				lb_strbuf_printf(out, "would load %s\n", paths[k]);
			} else if ((rc = lb_kmod_insert(paths[k])) == 0) {
				lb_strbuf_printf(out, "loaded %s\n", paths[k]);
				inserted++;
			}
		}
		for (size_t k = 0; k < n; k++)
			free(paths[k]);
		free(paths);
	}
	if (inserted) {
		wait_for_devices(sysfs, &blocks, &nets);
		size_t found = new_entries(sysfs, "block", &blocks, "disk", out) +
			       new_entries(sysfs, "net", &nets, "network interface", out);
		if (found == 0)
			lb_strbuf_puts(out, "no new disks or network interfaces appeared\n");
	}
	names_free(&blocks);
	names_free(&nets);
	return rc;
}

int drivers_load(const char *moddir, const char *sysfs, const char *const *targets, size_t ntargets, bool dry_run,
		 struct lb_strbuf *out)
{
	struct lb_kmod_set *set;
	int rc = lb_kmod_set_load(moddir, &set);
	if (rc < 0)
		return rc;
	const char *wanted[1024];
	size_t nwanted = 0;
	for (size_t i = 0; i < ntargets && rc == 0; i++)
		rc = add_target(set, targets[i], wanted, &nwanted, sizeof wanted / sizeof wanted[0]);
	if (rc == 0)
		rc = load_all(set, wanted, nwanted, sysfs, dry_run, out);
	lb_kmod_set_free(set);
	return rc;
}
