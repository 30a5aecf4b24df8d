/* DIRIDs: the numbers INF files use for Windows folders (10 = %windir%,
 * 12 = System32\drivers, 13 = the package's driver-store folder, ...),
 * spelled as virt-v2v writes them (lower-case "system32"). */
#include "lifeboat/driver_pkg.h"

#include "lifeboat/error.h"

static const struct {
	long dirid;
	enum lb_dirid_base base;
	const char *path;
} dirids[] = {
	{ -1, LB_DIRID_ABSOLUTE, "" },
	{ 1, LB_DIRID_SOURCE, "" },
	{ 10, LB_DIRID_WINDOWS, "" },
	{ 11, LB_DIRID_WINDOWS, "system32" },
	{ 12, LB_DIRID_WINDOWS, "system32\\drivers" },
	{ 13, LB_DIRID_DRIVER_STORE, "" },
	{ 17, LB_DIRID_WINDOWS, "INF" },
	{ 18, LB_DIRID_WINDOWS, "Help" },
	{ 20, LB_DIRID_WINDOWS, "Fonts" },
	{ 23, LB_DIRID_WINDOWS, "system32\\spool\\drivers\\color" },
	{ 24, LB_DIRID_SYSTEM_DRIVE, "" },
	{ 25, LB_DIRID_WINDOWS, "" },
	{ 30, LB_DIRID_SYSTEM_DRIVE, "" },
	{ 50, LB_DIRID_WINDOWS, "system" },
	{ 51, LB_DIRID_WINDOWS, "system32\\spool" },
	{ 54, LB_DIRID_SYSTEM_DRIVE, "" },
	{ 55, LB_DIRID_WINDOWS, "system32\\spool\\prtprocs" },
	{ 16420, LB_DIRID_WINDOWS, "" },
	{ 16421, LB_DIRID_WINDOWS, "system32" },
	{ 16422, LB_DIRID_SYSTEM_DRIVE, "Program Files" },
	{ 16425, LB_DIRID_WINDOWS, "SysWOW64" },
	{ 16426, LB_DIRID_SYSTEM_DRIVE, "Program Files (x86)" },
	{ 16427, LB_DIRID_SYSTEM_DRIVE, "Program Files\\Common Files" },
};

int lb_dirid_lookup(long dirid, enum lb_dirid_base *base, const char **path)
{
	for (size_t i = 0; i < sizeof dirids / sizeof dirids[0]; i++) {
		if (dirids[i].dirid == dirid) {
			*base = dirids[i].base;
			*path = dirids[i].path;
			return 0;
		}
	}
	return lb_fail(LB_E_UNSUPPORTED, "DIRID %ld is not supported", dirid);
}
