/* `win inject`: the order of an injection — check everything, then files,
 * SOFTWARE (DevicePath), SYSTEM (boot path), and last the first-boot
 * pnputil script (with the cleanup of the synthetic DriverDatabase label),
 * all inside one journaled operation. Nothing is committed that did not change. */
#include "inject_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "lifeboat/error.h"

#define DEVICEPATH_KEY "Microsoft\\Windows\\CurrentVersion"

int inject_software(struct injection *inj, struct regedit *rx)
{
	char *old = NULL;
	hive_node_h node = lb_hive_find(rx->hive, DEVICEPATH_KEY);
	if (!node || lb_hive_get_string(rx->hive, node, "DevicePath", &old) < 0) {
		lb_error_clear();
		old = strdup("%SystemRoot%\\inf");
		if (!old)
			return lb_fail(LB_E_NOMEM, "out of memory");
	}
	struct lb_strbuf value;
	lb_strbuf_init(&value);
	lb_strbuf_puts(&value, old);
	free(old);
	for (size_t i = 0; i < inj->npkgs; i++) {
		char entry[300];
		snprintf(entry, sizeof entry, "%%SystemRoot%%\\Lifeboat\\Drivers\\%s", inj->pkgs[i].stem);
		bool present = false;
		for (const char *p = value.data; p && *p;) {
			size_t n = strcspn(p, ";");
			present |= n == strlen(entry) && strncasecmp(p, entry, n) == 0;
			p += n + (p[n] == ';');
		}
		if (!present)
			lb_strbuf_printf(&value, ";%s", entry);
	}
	int rc = value.failed ? lb_fail(LB_E_NOMEM, "out of memory")
			      : rx_set_string(rx, DEVICEPATH_KEY, "DevicePath", LB_REG_EXPAND_SZ, lb_strbuf_str(&value));
	lb_strbuf_free(&value);
	return rc < 0 ? rc : inject_software_reg(inj, rx);
}

/* The first-boot script of a package, CRLF line ends: pnputil, and on
 * success (0 or 3010) the removal of the synthetic DriverDatabase entries. */
static void firstboot_script(const struct injection *inj, const struct inject_pkg *ip, bool ddb, struct lb_strbuf *s)
{
	lb_strbuf_printf(s, "@echo off\r\nrem Lifeboat: install %s staged offline\r\n", ip->inf_name);
	lb_strbuf_printf(s, "pnputil.exe -i -a \"%%SystemRoot%%\\Lifeboat\\Drivers\\%s\\%s\"\r\n", ip->stem,
			 strrchr(ip->pkg->path, '/') ? strrchr(ip->pkg->path, '/') + 1 : ip->pkg->path);
	if (!ddb)
		return;
	lb_strbuf_puts(s, "if not %errorlevel%==0 if not %errorlevel%==3010 exit /b %errorlevel%\r\n");
	lb_strbuf_printf(s, "reg delete \"HKLM\\SYSTEM\\DriverDatabase\\DriverPackages\\%s\" /f\r\n", ip->label);
	lb_strbuf_printf(s, "reg delete \"HKLM\\SYSTEM\\DriverDatabase\\DriverInfFiles\\%s\" /f\r\n", ip->inf_name);
	for (size_t u = 0; u < inj->nunits; u++) {
		if (&inj->pkgs[inj->units[u].pkg] != ip || !inj->units[u].boot)
			continue;
		for (size_t i = 0; i < inj->units[u].nids; i++)
			lb_strbuf_printf(s, "reg delete \"HKLM\\SYSTEM\\DriverDatabase\\DeviceIds\\%s\" /v %s /f\r\n",
					 inj->units[u].ids[i], ip->inf_name);
	}
}

/* True when the queued script already holds exactly text. */
static bool already_queued(struct injection *inj, const char *name, const struct lb_strbuf *text)
{
	char path[512];
	uint8_t *old;
	size_t len;
	snprintf(path, sizeof path, "%s/Lifeboat/firstboot.d/%s.cmd", inj->win->sysroot, name);
	if (!lb_winvol_exists(inj->win->vol, path) || lb_winvol_read(inj->win->vol, path, &old, &len) < 0) {
		lb_error_clear();
		return false;
	}
	bool same = len == text->len && memcmp(old, text->data, len) == 0;
	free(old);
	return same;
}

int inject_firstboot(struct injection *inj, struct lb_winop *op, struct lb_strbuf *report)
{
	struct lb_hive *system;
	int rc = lb_win_open_hive(inj->win, "SYSTEM", NULL, &system);
	if (rc < 0)
		return rc;
	bool ddb = inject_has_ddb(system);
	lb_hive_close(system);
	for (size_t i = 0; i < inj->npkgs && rc == 0; i++) {
		const struct inject_pkg *ip = &inj->pkgs[i];
		char name[160];
		snprintf(name, sizeof name, "drivers-%s", ip->stem);
		for (char *p = name; *p; p++)
			if (!strchr("abcdefghijklmnopqrstuvwxyz0123456789-_.", *p))
				*p = '_';
		struct lb_strbuf script;
		lb_strbuf_init(&script);
		firstboot_script(inj, ip, ddb, &script);
		if (script.failed)
			rc = lb_fail(LB_E_NOMEM, "out of memory");
		else if (!already_queued(inj, name, &script)) {
			rc = lb_win_firstboot_add(inj->win, op, name, script.data, script.len);
			if (rc == 0)
				lb_strbuf_printf(report, "first boot: pnputil installs %s (%s\\Lifeboat\\firstboot.d\\%s.cmd)\n",
						 ip->inf_name, inj->win->sysroot, name);
		}
		lb_strbuf_free(&script);
	}
	return rc;
}

static int edit_hive(struct injection *inj, struct lb_winop *op, const char *name, struct lb_strbuf *report,
		     const struct inject_extra *extra)
{
	struct regedit rx = { .name = name, .op = op, .report = report };
	int rc = lb_win_open_hive(inj->win, name, op, &rx.hive);
	if (rc < 0)
		return rc;
	if (strcmp(name, "SOFTWARE") == 0) {
		rc = inject_software(inj, &rx);
	} else {
		uint32_t sets[3];
		size_t nsets;
		rc = inject_control_sets(rx.hive, sets, &nsets);
		if (rc == 0)
			rc = inject_system(inj, &rx, sets, nsets);
		if (rc == 0 && extra)
			rc = extra->fn(&rx, sets, nsets, extra->ctx);
	}
	if (rc == 0)
		rc = rx_commit(&rx);
	lb_hive_close(rx.hive);
	return rc;
}

int inject_run(struct injection *inj, const char *what, struct lb_strbuf *report, const struct inject_extra *extra)
{
	struct lb_winop *op;
	int rc = lb_win_begin(inj->win, what, &op);
	if (rc < 0)
		return rc;
	rc = inject_files(inj, op, report);
	if (rc == 0 && inj->npkgs)
		rc = edit_hive(inj, op, "SOFTWARE", report, NULL);
	if (rc == 0)
		rc = edit_hive(inj, op, "SYSTEM", report, extra);
	if (rc == 0)
		rc = inject_firstboot(inj, op, report);
	if (rc == 0 && extra && extra->after)
		rc = extra->after(inj->win, op, extra->ctx);
	int end = lb_winop_end(op);
	return rc < 0 ? rc : end;
}

int lb_drv_inject(struct lb_win *win, const char *const *packages, size_t npackages, struct lb_strbuf *report)
{
	struct injection inj;
	int rc = inject_init(&inj, win);
	for (size_t i = 0; i < npackages && rc == 0; i++)
		rc = inject_add_path(&inj, packages[i]);
	if (rc == 0) {
		struct lb_strbuf what;
		lb_strbuf_init(&what);
		lb_strbuf_puts(&what, "inject");
		for (size_t i = 0; i < inj.npkgs; i++)
			lb_strbuf_printf(&what, " %s", inj.pkgs[i].inf_name);
		size_t before = report->len;
		rc = inject_run(&inj, lb_strbuf_str(&what), report, NULL);
		if (rc == 0 && report->len == before)
			lb_strbuf_puts(report, "nothing to change: the packages are already injected\n");
		lb_strbuf_free(&what);
	}
	inject_free(&inj);
	return rc;
}
