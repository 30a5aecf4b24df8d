/* Finding an offline Windows on a volume: the system root (the folder with
 * System32/config and System32/cmd.exe, as libguestfs checks), hibernation
 * state, interrupted-commit recovery, and paths of its hives and journal. */
#include "lifeboat/winoffline.h"
#include "lifeboat/error.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *const sysroot_candidates[] = { "Windows", "WINNT", "win32", "win", "reactos" };

static bool is_sysroot(struct lb_winvol *vol, const char *dir)
{
	char path[128];
	struct lb_winvol_stat st;
	snprintf(path, sizeof path, "%s/System32/config", dir);
	if (lb_winvol_stat(vol, path, &st) < 0 || !st.is_dir)
		return false;
	snprintf(path, sizeof path, "%s/System32/cmd.exe", dir);
	return lb_winvol_stat(vol, path, &st) == 0 && !st.is_dir;
}

/* hiberfil.sys starting with "hibr"/"wake"/"rstr" (any case) holds a
 * hibernation or Fast Startup image that Windows will resume. */
static bool hibernated(struct lb_winvol *vol)
{
	char magic[4];
	size_t got = 0;
	if (lb_winvol_read_at(vol, "hiberfil.sys", magic, sizeof magic, 0, &got) < 0 || got < 4) {
		lb_error_clear();
		return false;
	}
	return strncasecmp(magic, "hibr", 4) == 0 || strncasecmp(magic, "wake", 4) == 0 ||
	       strncasecmp(magic, "rstr", 4) == 0;
}

static int find_sysroot(struct lb_win *win)
{
	for (size_t i = 0; i < sizeof sysroot_candidates / sizeof *sysroot_candidates; i++) {
		char *actual;
		if (!is_sysroot(win->vol, sysroot_candidates[i]))
			continue;
		if (lb_winvol_resolve(win->vol, sysroot_candidates[i], &actual) < 0)
			return LB_E_IO;
		win->sysroot = actual;
		char *config = NULL;
		if (asprintf(&config, "%s/System32/config", actual) < 0 ||
		    lb_winvol_resolve(win->vol, config, &win->config) < 0 ||
		    asprintf(&win->journal, "%s/Lifeboat/journal", actual) < 0) {
			win->journal = NULL;
			free(config);
			return lb_fail(LB_E_NOMEM, "out of memory");
		}
		free(config);
		return 0;
	}
	lb_error_clear();
	return lb_fail(LB_E_NOTFOUND, "%s: no Windows installation found (no Windows/System32/config "
		       "with System32/cmd.exe)", lb_winvol_target(win->vol));
}

int lb_win_open(const char *target, int flags, struct lb_win **out)
{
	struct lb_win *win = calloc(1, sizeof *win);
	*out = NULL;
	if (!win)
		return lb_fail(LB_E_NOMEM, "out of memory");
	int rc = lb_winvol_open(target, (flags & LB_WIN_WRITE) ? LB_WINVOL_WRITE : LB_WINVOL_READ, &win->vol);
	if (rc == 0)
		rc = find_sysroot(win);
	if (rc == 0)
		win->hibernated = hibernated(win->vol);
	if (rc == 0 && win->hibernated && (flags & LB_WIN_WRITE))
		rc = lb_fail(LB_E_REFUSED, "%s: Windows is hibernated or was shut down with Fast Startup; "
			     "start it, then shut down with 'shutdown /s /t 0' (or run 'powercfg /h off') "
			     "before changing it offline", target);
	if (rc == 0 && (flags & LB_WIN_WRITE))
		rc = lb_winop_recover(win->vol, win->journal);
	if (rc < 0) {
		lb_win_close(win);
		return rc;
	}
	*out = win;
	return 0;
}

int lb_win_close(struct lb_win *win)
{
	if (!win)
		return 0;
	int rc = lb_winvol_close(win->vol);
	free(win->sysroot);
	free(win->config);
	free(win->journal);
	free(win);
	return rc;
}

int lb_win_hive_path(const struct lb_win *win, const char *name, char **out)
{
	if (asprintf(out, "%s/%s", win->config, name) < 0) {
		*out = NULL;
		return lb_fail(LB_E_NOMEM, "out of memory");
	}
	return 0;
}

int lb_win_begin(struct lb_win *win, const char *what, struct lb_winop **out)
{
	return lb_winop_begin(win->vol, win->journal, what, out);
}

int lb_win_open_hive(struct lb_win *win, const char *name, struct lb_winop *op, struct lb_hive **out)
{
	char *path;
	int rc = lb_win_hive_path(win, name, &path);
	if (rc == 0)
		rc = lb_hive_open(win->vol, path, op, out);
	free(path);
	return rc;
}

int lb_win_undo(struct lb_win *win, char **what)
{
	return lb_winop_undo(win->vol, win->journal, what);
}

int lb_win_control_sets(struct lb_hive *system, struct lb_win_control_sets *out)
{
	memset(out, 0, sizeof *out);
	hive_node_h select = lb_hive_find(system, "Select");
	if (select) {
		lb_hive_get_dword(system, select, "Current", &out->current);
		lb_hive_get_dword(system, select, "Default", &out->deflt);
		lb_hive_get_dword(system, select, "LastKnownGood", &out->last_known_good);
		lb_hive_get_dword(system, select, "Failed", &out->failed);
	}
	for (uint32_t n = 1; n < 1000 && out->count < 16; n++) {
		char name[32];
		snprintf(name, sizeof name, "ControlSet%03u", n);
		if (lb_hive_find(system, name))
			out->sets[out->count++] = n;
	}
	lb_error_clear();
	if (out->count == 0)
		return lb_fail(LB_E_INVALID, "%s: no ControlSetNNN key", lb_hive_path(system));
	return 0;
}
