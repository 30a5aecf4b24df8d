/* `lifeboat drivers load MODULE|FILE.ko|DIR...`: loads kernel modules with
 * their dependencies (modules.dep, or a loose module's .modinfo) through
 * finit_module, and reports the disks and network interfaces that appeared. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "cli.h"
#include "commands.h"
#include "lifeboat/error.h"
#include "lifeboat/kmod.h"

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
static size_t new_entries(const char *sysfs, const char *cls, const struct names *before, const char *what)
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
			printf("new %s: %s\n", what, now.v[i]);
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
			return cli_fail("%s: no such file or folder", target);
		if (*nwanted < max)
			wanted[(*nwanted)++] = target;
		return 0;
	}
	if (!S_ISDIR(st.st_mode)) {
		const char *name;
		if (lb_kmod_set_add_file(set, target, &name) < 0)
			return cli_fail_core();
		if (*nwanted < max)
			wanted[(*nwanted)++] = name;
		return 0;
	}
	DIR *d = opendir(target);
	if (!d)
		return cli_fail("%s: cannot read the folder", target);
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
		return cli_fail("%s: no kernel module (.ko) in this folder", target);
	return rc;
}

static void wait_for_devices(const char *sysfs, const struct names *blocks, const struct names *nets)
{
	struct timespec step = { 0, 100 * 1000 * 1000 };
	for (int waited = 0; waited < SETTLE_MS; waited += 100) {
		if (new_entries(sysfs, "block", blocks, NULL) || new_entries(sysfs, "net", nets, NULL))
			return;
		nanosleep(&step, NULL);
	}
}

static int load_all(struct lb_kmod_set *set, const char **wanted, size_t nwanted, const char *sysfs, bool dry_run)
{
	struct names blocks, nets;
	char dir[4096];
	snprintf(dir, sizeof dir, "%s/class/block", sysfs);
	names_read(dir, &blocks);
	snprintf(dir, sizeof dir, "%s/class/net", sysfs);
	names_read(dir, &nets);
	int rc = CLI_OK;
	size_t inserted = 0;
	for (size_t i = 0; i < nwanted && rc == CLI_OK; i++) {
		char **paths;
		size_t n;
		if (lb_kmod_plan(set, wanted[i], sysfs, &paths, &n) < 0) {
			rc = cli_fail_core();
			break;
		}
		if (n == 0)
			printf("%s: already loaded or built in\n", wanted[i]);
		for (size_t k = 0; k < n && rc == CLI_OK; k++) {
			if (dry_run) {
				printf("would load %s\n", paths[k]);
			} else if (lb_kmod_insert(paths[k]) < 0) {
				rc = cli_fail_core();
			} else {
				printf("loaded %s\n", paths[k]);
				inserted++;
			}
		}
		for (size_t k = 0; k < n; k++)
			free(paths[k]);
		free(paths);
	}
	if (inserted) {
		wait_for_devices(sysfs, &blocks, &nets);
		size_t found = new_entries(sysfs, "block", &blocks, "disk") +
			       new_entries(sysfs, "net", &nets, "network interface");
		if (found == 0)
			printf("no new disks or network interfaces appeared\n");
	}
	names_free(&blocks);
	names_free(&nets);
	return rc;
}

int cmd_drivers_load(int argc, char **argv)
{
	const char *sysfs = "/sys", *moddir = NULL;
	bool dry_run = false;
	const char *targets[64];
	size_t ntargets = 0;
	char default_moddir[300];
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--dry-run") == 0)
			dry_run = true;
		else if (strcmp(argv[i], "--sysfs") == 0 && i + 1 < argc)
			sysfs = argv[++i];
		else if (strcmp(argv[i], "--modules") == 0 && i + 1 < argc)
			moddir = argv[++i];
		else if (argv[i][0] == '-' || ntargets == 64)
			return cli_usage_error("drivers", "unexpected argument '%s'", argv[i]);
		else
			targets[ntargets++] = argv[i];
	}
	if (ntargets == 0)
		return cli_usage_error("drivers", "load needs a module name, a .ko file or a folder");
	if (drivers_default_moddir(default_moddir, sizeof default_moddir, &moddir) != 0)
		return CLI_FAILED;
	struct lb_kmod_set *set;
	if (lb_kmod_set_load(moddir, &set) < 0)
		return cli_fail_core();
	const char *wanted[1024];
	size_t nwanted = 0;
	int rc = CLI_OK;
	for (size_t i = 0; i < ntargets && rc == CLI_OK; i++)
		if (add_target(set, targets[i], wanted, &nwanted, sizeof wanted / sizeof wanted[0]) != 0)
			rc = CLI_FAILED;
	if (rc == CLI_OK)
		rc = load_all(set, wanted, nwanted, sysfs, dry_run);
	lb_kmod_set_free(set);
	return rc;
}
