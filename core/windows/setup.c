/* "Activate setup": first-boot commands through Windows Setup's own hook.
 * SYSTEM\Setup SetupType=2 makes winlogon run CmdLine as SYSTEM before the
 * logon screen (KB 939857); CmdLine starts Lifeboat's runner, which runs the
 * queued scripts once, logs them, and sets SetupType back to 0. Chosen over
 * a service because it needs no binary of ours on the Windows side. */
#include "win_internal.h"
#include "lifeboat/error.h"
#include "lifeboat/strbuf.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SETUP_CMDLINE "cmd.exe /c %SystemRoot%\\Lifeboat\\firstboot.cmd"

/* The runner, CRLF line ends. %~dp0 is the folder it lives in. */
static const char runner[] =
	"@echo off\r\n"
	"rem Lifeboat first-boot runner: runs each queued script once, then disarms Setup.\r\n"
	"set LB=%~dp0\r\n"
	"if not exist \"%LB%firstboot.done\" mkdir \"%LB%firstboot.done\"\r\n"
	"echo %DATE% %TIME% first boot >> \"%LB%firstboot.log\"\r\n"
	"for %%f in (\"%LB%firstboot.d\\*.cmd\") do (\r\n"
	"  echo %DATE% %TIME% running %%~nxf >> \"%LB%firstboot.log\"\r\n"
	"  call \"%%f\" >> \"%LB%firstboot.log\" 2>&1\r\n"
	"  move /y \"%%f\" \"%LB%firstboot.done\\\" >nul\r\n"
	")\r\n"
	"reg add HKLM\\SYSTEM\\Setup /v SetupType /t REG_DWORD /d 0 /f >nul\r\n"
	"reg add HKLM\\SYSTEM\\Setup /v CmdLine /t REG_SZ /d \"\" /f >nul\r\n"
	"echo %DATE% %TIME% done, setup disarmed >> \"%LB%firstboot.log\"\r\n";

static int check_name(const char *name)
{
	if (!name[0] || strlen(name) > 64 || name[0] == '.')
		return lb_fail(LB_E_USAGE, "invalid first-boot script name '%s'", name);
	for (const char *p = name; *p; p++)
		if (!isalnum((unsigned char)*p) && !strchr("-_.", *p))
			return lb_fail(LB_E_USAGE, "invalid first-boot script name '%s' (letters, digits, '-', '_', '.')",
				       name);
	return 0;
}

/* The script with every line ending in CRLF. */
static int to_crlf(const char *script, size_t len, struct lb_strbuf *out)
{
	lb_strbuf_init(out);
	for (size_t i = 0; i < len; i++) {
		if (script[i] == '\n' && (i == 0 || script[i - 1] != '\r'))
			lb_strbuf_append(out, "\r", 1);
		lb_strbuf_append(out, script + i, 1);
	}
	if (len == 0 || script[len - 1] != '\n')
		lb_strbuf_append(out, "\r\n", 2);
	return out->failed ? lb_fail(LB_E_NOMEM, "out of memory") : 0;
}

/* Writes path with data in op unless it holds exactly that: an existing
 * file is replaced (backed up), a new one created (journaled), so undo
 * reverts either. */
static int put_file(struct lb_win *win, struct lb_winop *op, const char *path, const void *data, size_t len)
{
	if (!lb_winvol_exists(win->vol, path))
		return lb_winop_create_file(op, path, data, len);
	uint8_t *old;
	size_t old_len;
	int rc = lb_winvol_read(win->vol, path, &old, &old_len);
	if (rc < 0)
		return rc;
	bool same = old_len == len && memcmp(old, data, len) == 0;
	free(old);
	return same ? 0 : lb_winop_replace_file(op, path, data, len);
}

static int arm_setup(struct lb_win *win, struct lb_winop *op)
{
	struct lb_hive *sys;
	int rc = lb_win_open_hive(win, "SYSTEM", op, &sys);
	if (rc < 0)
		return rc;
	hive_node_h setup = 0;
	uint32_t type = 0;
	char *cmdline = NULL;
	rc = lb_hive_mkpath(sys, "Setup", &setup);
	if (rc == 0 && lb_hive_get_dword(sys, setup, "SetupType", &type) == 0 && type != 0 &&
	    !(lb_hive_get_string(sys, setup, "CmdLine", &cmdline) == 0 && strcmp(cmdline, SETUP_CMDLINE) == 0))
		rc = lb_fail(LB_E_REFUSED, "Windows Setup is already armed (SetupType=%u, CmdLine '%s'): "
			     "let it finish first", type, cmdline ? cmdline : "");
	free(cmdline);
	if (rc == 0)
		rc = lb_hive_set_dword(sys, setup, "SetupType", 2);
	if (rc == 0)
		rc = lb_hive_set_string(sys, setup, "CmdLine", hive_t_REG_SZ, SETUP_CMDLINE);
	if (rc == 0) {
		lb_winop_note(op, "%s: Setup\\SetupType = 2", lb_hive_path(sys));
		lb_winop_note(op, "%s: Setup\\CmdLine = %s", lb_hive_path(sys), SETUP_CMDLINE);
		rc = lb_hive_commit(sys);
	}
	lb_hive_close(sys);
	return rc;
}

int lb_win_firstboot_add(struct lb_win *win, struct lb_winop *op, const char *name, const char *script,
			 size_t len)
{
	int rc = check_name(name);
	if (rc < 0)
		return rc;
	char *dir = NULL, *runner_path = NULL, *script_path = NULL;
	struct lb_strbuf text;
	if (asprintf(&dir, "%s/Lifeboat/firstboot.d", win->sysroot) < 0 ||
	    asprintf(&runner_path, "%s/Lifeboat/firstboot.cmd", win->sysroot) < 0 ||
	    asprintf(&script_path, "%s/%s.cmd", dir, name) < 0)
		rc = lb_fail(LB_E_NOMEM, "out of memory");
	if (rc == 0)
		rc = to_crlf(script, len, &text);
	if (rc == 0) {
		rc = put_file(win, op, runner_path, runner, sizeof runner - 1);
		if (rc == 0)
			rc = put_file(win, op, script_path, text.data, text.len);
		if (rc == 0)
			lb_winop_note(op, "first-boot script %s queued", script_path);
		lb_strbuf_free(&text);
	}
	if (rc == 0)
		rc = arm_setup(win, op);
	free(dir);
	free(runner_path);
	free(script_path);
	return rc;
}
