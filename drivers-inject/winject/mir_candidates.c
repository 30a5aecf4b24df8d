/* Finding drivers for a storage controller: the installation's own boot
 * mapping (CriticalDeviceDatabase before Windows 8, DriverDatabase DeviceIds
 * -> DriverInfFiles Active -> Descriptors/Configurations Service from 8 on)
 * and driver packages in the folders given, ranked as Windows ranks them:
 * the better the matched device ID, the better; then the newer DriverVer. */
#include "mir_internal.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "lifeboat/error.h"

/* Searching packages goes this deep below each --drivers folder. */
#define MAX_DEPTH 4

bool mir_better(const struct mir_candidate *a, const struct mir_candidate *b)
{
	if (!b->found)
		return a->found;
	if (!a->found || a->score != b->score)
		return a->found && a->score < b->score;
	unsigned da = a->has_date ? a->year * 10000 + a->month * 100 + a->day : 0;
	unsigned db = b->has_date ? b->year * 10000 + b->month * 100 + b->day : 0;
	if (da != db)
		return da > db;
	for (int i = 0; i < 4; i++)
		if (a->version[i] != b->version[i])
			return a->version[i] > b->version[i];
	return !a->inbox && b->inbox;
}

/* The file a service's ImagePath names, as a volume path below the system root. */
static void binary_path(const struct lb_win *win, const char *name, const char *image, char *out, size_t len)
{
	const char *rest = image;
	static const char *const prefixes[] = { "\\SystemRoot\\", "%SystemRoot%\\", "\\??\\C:\\Windows\\" };
	for (size_t i = 0; i < sizeof prefixes / sizeof prefixes[0]; i++)
		if (strncasecmp(rest, prefixes[i], strlen(prefixes[i])) == 0)
			rest += strlen(prefixes[i]);
	if (*rest)
		snprintf(out, len, "%s/%s", win->sysroot, rest);
	else
		snprintf(out, len, "%s/System32/drivers/%s.sys", win->sysroot, name);
	for (char *p = out; *p; p++)
		if (*p == '\\')
			*p = '/';
}

bool mir_service_loadable(struct lb_win *win, struct lb_hive *system, uint32_t set, const char *name,
			  const char **why)
{
	char key[300], file[1024];
	snprintf(key, sizeof key, "ControlSet%03u\\Services\\%s", set, name);
	hive_node_h node = lb_hive_find(system, key);
	uint32_t start = 0;
	char *image = NULL;
	bool ok = false;
	if (!node)
		*why = "no service key";
	else if (lb_hive_get_dword(system, node, "Start", &start) == 0 && start == 4)
		*why = "disabled (Start=4)";
	else {
		lb_hive_get_string(system, node, "ImagePath", &image);
		binary_path(win, name, image ? image : "", file, sizeof file);
		ok = lb_winvol_exists(win->vol, file);
		*why = ok ? "" : "its driver file is missing";
	}
	free(image);
	lb_error_clear();
	return ok;
}

/* The service DriverDatabase maps id to (through the INF's active package), "" if none. */
static void ddb_service(struct lb_hive *h, const char *id, const char *inf, char *svc, size_t len)
{
	char key[600], *label = NULL, *cfg = NULL, *name = NULL;
	svc[0] = '\0';
	snprintf(key, sizeof key, "DriverDatabase\\DriverInfFiles\\%s", inf);
	hive_node_h n = lb_hive_find(h, key);
	if (n && lb_hive_get_string(h, n, "Active", &label) == 0) {
		snprintf(key, sizeof key, "DriverDatabase\\DriverPackages\\%s\\Descriptors\\%s", label, id);
		n = lb_hive_find(h, key);
		if (n && lb_hive_get_string(h, n, "Configuration", &cfg) == 0) {
			snprintf(key, sizeof key, "DriverDatabase\\DriverPackages\\%s\\Configurations\\%s", label, cfg);
			n = lb_hive_find(h, key);
			if (n && lb_hive_get_string(h, n, "Service", &name) == 0)
				snprintf(svc, len, "%s", name);
		}
	}
	free(label);
	free(cfg);
	free(name);
	lb_error_clear();
}

static void consider_inbox(struct lb_win *win, struct lb_hive *h, uint32_t set, const char *id, unsigned score,
			   const char *svc, const char *source, struct mir_candidate *best)
{
	const char *why;
	if (!*svc || !mir_service_loadable(win, h, set, svc, &why))
		return;
	struct mir_candidate c = { .found = true, .inbox = true, .score = score };
	snprintf(c.id, sizeof c.id, "%s", id);
	snprintf(c.service, sizeof c.service, "%s", svc);
	snprintf(c.source, sizeof c.source, "%s", source);
	if (mir_better(&c, best))
		*best = c;
}

void mir_inbox_candidate(struct lb_win *win, struct lb_hive *system, uint32_t set, char ids[MIR_PCI_IDS][64],
			 struct mir_candidate *best)
{
	hive_h *hx = lb_hive_handle(system);
	bool ddb = inject_has_ddb(system);
	for (unsigned i = 0; i < MIR_PCI_IDS; i++) {
		char key[300], svc[128] = "", source[256];
		if (!ddb) {
			char name[64];
			snprintf(name, sizeof name, "%s", ids[i]);
			for (char *p = name; *p; p++)
				if (*p == '\\')
					*p = '#';
			snprintf(key, sizeof key, "ControlSet%03u\\Control\\CriticalDeviceDatabase\\%s", set, name);
			hive_node_h n = lb_hive_find(system, key);
			char *value = NULL;
			if (n && lb_hive_get_string(system, n, "Service", &value) == 0)
				snprintf(svc, sizeof svc, "%s", value);
			free(value);
			snprintf(source, sizeof source, "inbox, CriticalDeviceDatabase %s", name);
			consider_inbox(win, system, set, ids[i], 2 * i, svc, source, best);
			continue;
		}
		snprintf(key, sizeof key, "DriverDatabase\\DeviceIds\\%s", ids[i]);
		hive_node_h n = lb_hive_find(system, key);
		hive_value_h *values = n ? hivex_node_values(hx, n) : NULL;
		for (size_t k = 0; values && values[k]; k++) {
			char *inf = hivex_value_key(hx, values[k]);
			if (!inf)
				continue;
			ddb_service(system, ids[i], inf, svc, sizeof svc);
			snprintf(source, sizeof source, "inbox, DriverDatabase %s", inf);
			consider_inbox(win, system, set, ids[i], 2 * i, svc, source, best);
			free(inf);
		}
		free(values);
	}
	lb_error_clear();
}

static void consider_package(const struct lb_win_target *t, const char *path, char ids[MIR_PCI_IDS][64],
			     struct mir_candidate *best)
{
	struct lb_drv_package *pkg;
	if (lb_drv_package_load(path, &pkg) < 0) {
		lb_warn("skipped %s: %s", path, lb_error_message());
		lb_error_clear();
		return;
	}
	for (size_t mfg = 0; mfg < pkg->nmanufacturers; mfg++) {
		const struct lb_drv_models *m = lb_drv_select_models(pkg, mfg, t);
		for (size_t d = 0; m && d < m->ndevices; d++) {
			for (size_t j = 0; j < m->devices[d].nids; j++) {
				for (unsigned i = 0; i < MIR_PCI_IDS; i++) {
					if (strcasecmp(ids[i], m->devices[d].ids[j]) != 0)
						continue;
					struct mir_candidate c = { .found = true, .score = 2 * i + (j > 0),
								   .has_date = pkg->has_date, .has_version = pkg->has_version,
								   .year = pkg->year, .month = pkg->month, .day = pkg->day };
					memcpy(c.version, pkg->version, sizeof c.version);
					snprintf(c.id, sizeof c.id, "%s", ids[i]);
					snprintf(c.inf_path, sizeof c.inf_path, "%s", path);
					snprintf(c.source, sizeof c.source, "%s", "from --drivers");
					if (mir_better(&c, best))
						*best = c;
				}
			}
		}
	}
	lb_error_clear();
	lb_drv_package_free(pkg);
}

static void walk(const struct lb_win_target *t, const char *dir, int depth, char ids[MIR_PCI_IDS][64],
		 struct mir_candidate *best)
{
	DIR *d = opendir(dir);
	if (!d) {
		lb_warn("cannot read driver folder %s", dir);
		return;
	}
	struct dirent *e;
	while ((e = readdir(d))) {
		char path[4096];
		struct stat st;
		size_t n = strlen(e->d_name);
		if (e->d_name[0] == '.' || snprintf(path, sizeof path, "%s/%s", dir, e->d_name) >= (int)sizeof path ||
		    stat(path, &st) != 0)
			continue;
		if (S_ISDIR(st.st_mode) && depth < MAX_DEPTH)
			walk(t, path, depth + 1, ids, best);
		else if (S_ISREG(st.st_mode) && n > 4 && strcasecmp(e->d_name + n - 4, ".inf") == 0)
			consider_package(t, path, ids, best);
	}
	closedir(d);
}

void mir_package_candidates(const struct lb_win_target *t, const char *const *dirs, size_t ndirs,
			    char ids[MIR_PCI_IDS][64], struct mir_candidate *best)
{
	for (size_t i = 0; i < ndirs; i++)
		walk(t, dirs[i], 0, ids, best);
}
