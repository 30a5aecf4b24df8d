/* The offline-Windows operations shared by `lifeboat win` and the TUI's
 * Windows tools and restore wizard: open, one engine call, close, and a
 * description of what was done. */
#include "win_ops.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app_env.h"
#include "lifeboat/drv_inject.h"
#include "lifeboat/error.h"
#include "lifeboat/json.h"
#include "lifeboat/kmod.h"
#include "lifeboat/winoffline.h"

/* Runs fn on the Windows of target opened with flags; a failure to close
 * (commit) counts as a failure. */
typedef int (*win_fn)(struct lb_win *win, const void *ctx, struct lb_strbuf *out);

static int with_win(const char *target, int flags, win_fn fn, const void *ctx, struct lb_strbuf *out)
{
	struct lb_win *win;
	int rc = lb_win_open(target, flags, &win);
	if (rc < 0)
		return rc;
	rc = fn(win, ctx, out);
	char message[1024];
	snprintf(message, sizeof message, "%s", lb_error_message());
	int close_rc = lb_win_close(win);
	if (rc < 0)
		return lb_fail(rc, "%s", message);
	return close_rc;
}

static int do_info(struct lb_win *win, const void *ctx, struct lb_strbuf *out)
{
	(void)ctx;
	struct lb_json j;
	lb_json_init(&j, out);
	return lb_win_describe(win, &j);
}

int win_op_info(const char *target, struct lb_strbuf *json)
{
	return with_win(target, LB_WIN_READ, do_info, NULL, json);
}

void win_info_text(const char *json, struct lb_strbuf *out)
{
	for (const char *p = json; *p;) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		const char *s = p;
		while (s < p + n && (*s == ' ' || *s == '{' || *s == '}' || *s == '[' || *s == ']'))
			s++;
		size_t m = (size_t)(p + n - s);
		while (m > 0 && (s[m - 1] == ',' || s[m - 1] == '{' || s[m - 1] == '['))
			m--;
		if (m > 0) {
			for (size_t i = 0; i < m; i++)
				if (s[i] != '"')
					lb_strbuf_append(out, &s[i], 1);
			lb_strbuf_puts(out, "\n");
		}
		p += n + (nl != NULL);
	}
}

struct rename_args {
	const char *name;
	bool force;
};

static int do_rename(struct lb_win *win, const void *ctx, struct lb_strbuf *out)
{
	const struct rename_args *a = ctx;
	int rc = lb_win_rename(win, a->name, a->force);
	if (rc == 0)
		lb_strbuf_printf(out, "computer name set to %s\n", a->name);
	return rc;
}

int win_op_rename(const char *target, const char *name, bool force, struct lb_strbuf *out)
{
	int rc = lb_win_check_computer_name(name);
	if (rc < 0)
		return rc;
	struct rename_args a = { name, force };
	return with_win(target, LB_WIN_WRITE, do_rename, &a, out);
}

struct newsid_args {
	const struct lb_sid3 *sid;
	bool force;
};

static int do_newsid(struct lb_win *win, const void *ctx, struct lb_strbuf *out)
{
	const struct newsid_args *a = ctx;
	struct lb_sid3 result;
	int rc = lb_win_newsid(win, a->sid, a->force, &result);
	if (rc == 0) {
		char text[64];
		lb_sid3_format(&result, text);
		lb_strbuf_printf(out, "machine SID set to %s\n", text);
	}
	return rc;
}

int win_op_newsid(const char *target, const char *sid, bool force, struct lb_strbuf *out)
{
	struct lb_sid3 given;
	if (sid && lb_sid3_parse(sid, &given) < 0)
		return LB_E_INVALID;
	struct newsid_args a = { sid ? &given : NULL, force };
	return with_win(target, LB_WIN_WRITE, do_newsid, &a, out);
}

static int do_hal(struct lb_win *win, const void *ctx, struct lb_strbuf *out)
{
	(void)ctx;
	char *report = NULL;
	int rc = lb_win_hal(win, &report);
	if (rc == 0)
		lb_strbuf_puts(out, report);
	free(report);
	return rc;
}

int win_op_hal(const char *target, struct lb_strbuf *out)
{
	return with_win(target, LB_WIN_WRITE, do_hal, NULL, out);
}

static int do_undo(struct lb_win *win, const void *ctx, struct lb_strbuf *out)
{
	(void)ctx;
	char *what = NULL;
	int rc = lb_win_undo(win, &what);
	if (rc == 0)
		lb_strbuf_printf(out, "undone: %s\n", what);
	free(what);
	return rc;
}

int win_op_undo(const char *target, struct lb_strbuf *out)
{
	return with_win(target, LB_WIN_WRITE, do_undo, NULL, out);
}

static int do_nothing(struct lb_win *win, const void *ctx, struct lb_strbuf *out)
{
	(void)win;
	(void)ctx;
	(void)out;
	return 0;
}

int win_op_recover(const char *target, struct lb_strbuf *out)
{
	return with_win(target, LB_WIN_WRITE, do_nothing, NULL, out);
}

struct setup_args {
	const char *path;
	const struct lb_strbuf *script;
};

/* The script's base name without extension names the queued script. */
static void script_name(const char *path, char *out, size_t outlen)
{
	const char *base = strrchr(path, '/');
	snprintf(out, outlen, "%s", base ? base + 1 : path);
	char *dot = strrchr(out, '.');
	if (dot && dot != out)
		*dot = '\0';
}

static int do_setup(struct lb_win *win, const void *ctx, struct lb_strbuf *out)
{
	const struct setup_args *a = ctx;
	char name[128];
	script_name(a->path, name, sizeof name);
	struct lb_winop *op;
	int rc = lb_win_begin(win, "setup: run a script at first boot", &op);
	if (rc < 0)
		return rc;
	rc = lb_win_firstboot_add(win, op, name, lb_strbuf_str(a->script), a->script->len);
	int end = lb_winop_end(op);
	rc = rc < 0 ? rc : end;
	if (rc == 0)
		lb_strbuf_printf(out, "%s will run once at the next boot of Windows\n", a->path);
	return rc;
}

int win_op_setup(const char *target, const char *script_path, struct lb_strbuf *out)
{
	struct lb_strbuf script;
	lb_strbuf_init(&script);
	int rc = lb_strbuf_read_file(&script, script_path, 1u << 20);
	if (rc == 0) {
		struct setup_args a = { script_path, &script };
		rc = with_win(target, LB_WIN_WRITE, do_setup, &a, out);
	}
	lb_strbuf_free(&script);
	return rc;
}

struct inject_args {
	const char *const *packages;
	size_t n;
};

static int do_inject(struct lb_win *win, const void *ctx, struct lb_strbuf *out)
{
	const struct inject_args *a = ctx;
	return lb_drv_inject(win, a->packages, a->n, out);
}

int win_op_inject(const char *target, const char *const *packages, size_t n, struct lb_strbuf *out)
{
	struct inject_args a = { packages, n };
	return with_win(target, LB_WIN_WRITE, do_inject, &a, out);
}

/* "GenuineIntel" / "AuthenticAMD" from /proc/cpuinfo, NULL if unknown. */
static char *host_cpu_vendor(void)
{
	FILE *f = fopen("/proc/cpuinfo", "re");
	char line[256], vendor[64];
	char *out = NULL;
	while (f && !out && fgets(line, sizeof line, f))
		if (sscanf(line, "vendor_id : %63s", vendor) == 1)
			out = strdup(vendor);
	if (f)
		fclose(f);
	return out;
}

static int do_mir(struct lb_win *win, const void *ctx, struct lb_strbuf *out)
{
	return lb_drv_mir(win, ctx, out);
}

int win_op_mir(const char *target, const char *const *driver_dirs, size_t ndirs, const char *hardware,
	       struct lb_strbuf *out)
{
	struct lb_sys_device *devs = NULL;
	size_t ndevs = 0;
	char *cpu = NULL;
	char sysfs[4096];
	snprintf(sysfs, sizeof sysfs, "%s/sys", app_sysroot());
	int rc = hardware ? lb_mir_read_hardware(hardware, &devs, &ndevs, &cpu) : lb_sysfs_devices(sysfs, &devs, &ndevs);
	if (rc < 0)
		return rc;
	if (!hardware)
		cpu = host_cpu_vendor();
	struct lb_mir_opts opts = { driver_dirs, ndirs, devs, ndevs, cpu };
	rc = with_win(target, LB_WIN_WRITE, do_mir, &opts, out);
	lb_sysfs_devices_free(devs, ndevs);
	free(cpu);
	return rc;
}
