/* `lifeboat drivers load MODULE|FILE.ko|DIR...`: loads kernel modules with
 * their dependencies and reports the disks and network interfaces that
 * appeared (see drivers_load.h). */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "commands.h"
#include "drivers_load.h"
#include "lifeboat/strbuf.h"

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
	if (drivers_default_moddir(default_moddir, sizeof default_moddir, &moddir) < 0)
		return cli_fail_core();
	struct lb_strbuf out;
	lb_strbuf_init(&out);
	int rc = drivers_load(moddir, sysfs, targets, ntargets, dry_run, &out);
	fputs(lb_strbuf_str(&out), stdout);
	lb_strbuf_free(&out);
	return rc < 0 ? cli_fail_core() : CLI_OK;
}
