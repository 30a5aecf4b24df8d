/* Which Windows an installation is, for picking INF Models sections: the
 * architecture from the PE machine of System32\cmd.exe (as libguestfs does),
 * the version from SOFTWARE\Microsoft\Windows NT\CurrentVersion
 * (CurrentMajor/MinorVersionNumber first: CurrentVersion stays "6.3" on 10). */
#include "lifeboat/drv_inject.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "lifeboat/error.h"
#include "lifeboat/pe.h"

static int read_arch(struct lb_win *win, enum lb_arch *arch)
{
	char path[512];
	uint8_t head[LB_PE_HEADER_BYTES];
	size_t got = 0;
	snprintf(path, sizeof path, "%s/System32/cmd.exe", win->sysroot);
	int rc = lb_winvol_read_at(win->vol, path, head, sizeof head, 0, &got);
	struct lb_pe_info pe;
	if (rc == 0)
		rc = lb_pe_parse(head, got, path, &pe);
	if (rc < 0)
		return lb_fail_context(rc, "cannot tell the architecture of this Windows");
	for (int a = LB_ARCH_X86; a < LB_ARCH_UNKNOWN; a++) {
		if (lb_arch_pe_machine((enum lb_arch)a) == pe.machine) {
			*arch = (enum lb_arch)a;
			return 0;
		}
	}
	return lb_fail(LB_E_UNSUPPORTED, "%s: PE machine 0x%04x is not a Windows architecture", path, pe.machine);
}

static unsigned parse_unsigned(const char *s)
{
	return (unsigned)strtoul(s, NULL, 10);
}

static int read_version(struct lb_hive *sw, struct lb_win_target *t)
{
	hive_node_h cv = lb_hive_find(sw, "Microsoft\\Windows NT\\CurrentVersion");
	if (!cv)
		return lb_fail(LB_E_NOTFOUND, "SOFTWARE has no Microsoft\\Windows NT\\CurrentVersion: cannot tell the Windows version");
	uint32_t major, minor;
	char *text = NULL;
	if (lb_hive_get_dword(sw, cv, "CurrentMajorVersionNumber", &major) == 0 &&
	    lb_hive_get_dword(sw, cv, "CurrentMinorVersionNumber", &minor) == 0) {
		t->major = major;
		t->minor = minor;
	} else if (lb_hive_get_string(sw, cv, "CurrentVersion", &text) == 0 &&
		   sscanf(text, "%u.%u", &t->major, &t->minor) == 2) {
		free(text);
		text = NULL;
	} else {
		free(text);
		return lb_fail(LB_E_NOTFOUND, "SOFTWARE CurrentVersion gives no Windows version");
	}
	if (lb_hive_get_string(sw, cv, "CurrentBuildNumber", &text) == 0)
		t->build = parse_unsigned(text);
	free(text);
	text = NULL;
	t->product_type = 1;
	if (lb_hive_get_string(sw, cv, "InstallationType", &text) == 0 && strncasecmp(text, "Server", 6) == 0)
		t->product_type = 3;
	free(text);
	lb_error_clear();
	return 0;
}

int lb_drv_win_target(struct lb_win *win, struct lb_win_target *out)
{
	memset(out, 0, sizeof *out);
	int rc = read_arch(win, &out->arch);
	if (rc < 0)
		return rc;
	struct lb_hive *sw;
	if ((rc = lb_win_open_hive(win, "SOFTWARE", NULL, &sw)) < 0)
		return rc;
	rc = read_version(sw, out);
	lb_hive_close(sw);
	return rc;
}
