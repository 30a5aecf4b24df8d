/* `lifeboat win mir TARGET [--drivers DIR]... [--hardware FILE]`: adapts an
 * offline Windows to the hardware of this machine (sysfs) or of a hardware
 * list; see lifeboat/drv_inject.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "commands.h"
#include "lifeboat/drv_inject.h"
#include "lifeboat/error.h"
#include "lifeboat/kmod.h"

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

static int run_mir(struct lb_win *win, void *ctx, struct lb_strbuf *report)
{
	return lb_drv_mir(win, ctx, report);
}

int cmd_win_mir(int argc, char **argv)
{
	const char *dirs[32], *hardware = NULL, *target = NULL;
	size_t ndirs = 0;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--drivers") == 0 && i + 1 < argc && ndirs < 32)
			dirs[ndirs++] = argv[++i];
		else if (strcmp(argv[i], "--hardware") == 0 && i + 1 < argc)
			hardware = argv[++i];
		else if (argv[i][0] == '-' || target)
			return cli_usage_error("win", "win mir: unexpected argument '%s'", argv[i]);
		else
			target = argv[i];
	}
	if (!target)
		return cli_usage_error("win", "win mir needs TARGET");
	struct lb_sys_device *devs = NULL;
	size_t ndevs = 0;
	char *cpu = NULL;
	int rc = hardware ? lb_mir_read_hardware(hardware, &devs, &ndevs, &cpu) : lb_sysfs_devices("/sys", &devs, &ndevs);
	if (rc < 0)
		return cli_fail_core();
	if (!hardware)
		cpu = host_cpu_vendor();
	struct lb_mir_opts opts = { dirs, ndirs, devs, ndevs, cpu };
	rc = win_drivers_run(target, run_mir, &opts);
	lb_sysfs_devices_free(devs, ndevs);
	free(cpu);
	return rc;
}
