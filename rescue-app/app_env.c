/* The rescue app's environment: logs folder, sysfs root, and saving the
 * report of every operation to the logs folder (and a job's report=). */
#include "app_env.h"

#include <mntent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <unistd.h>

#include "lifeboat/error.h"
#include "lifeboat/job.h"
#include "lifeboat/report.h"

const char *app_logs_dir(const char *given)
{
	if (given)
		return given;
	const char *env = getenv("LIFEBOAT_LOGS");
	return env && *env ? env : "/var/log/lifeboat";
}

const char *app_sysroot(void)
{
	const char *env = getenv("LIFEBOAT_SYSROOT");
	return env ? env : "";
}

void app_report_machine(struct lb_report *report, const struct lb_job_facts *facts)
{
	snprintf(report->mac, sizeof report->mac, "%s", facts->mac_count ? facts->macs[0] : "");
	snprintf(report->serial, sizeof report->serial, "%s", facts->serial);
}

int app_save_report(const struct lb_report *report, const char *logs_dir, const char *extra)
{
	int rc = lb_report_save(report, logs_dir, NULL);
	char first[512] = "";
	if (rc < 0)
		snprintf(first, sizeof first, "%s", lb_error_message());
	if (extra && strcmp(extra, logs_dir) != 0) {
		int extra_rc = lb_report_save(report, extra, NULL);
		if (rc == 0 && extra_rc < 0)
			return extra_rc;
	}
	if (rc < 0)
		lb_fail(rc, "%s", first);
	return rc;
}

/* Remounts the file systems of disks read-only, newest mount first, so the
 * stick (FAT marks itself dirty while mounted) and the disks are clean when
 * the power goes. */
static void remount_disks_read_only(void)
{
	enum { MAX_MOUNTS = 64 };
	char *dirs[MAX_MOUNTS];
	int n = 0;
	FILE *f = setmntent("/proc/self/mounts", "re");
	struct mntent *m;
	while (f && n < MAX_MOUNTS && (m = getmntent(f)))
		if (strncmp(m->mnt_fsname, "/dev/", 5) == 0 && (dirs[n] = strdup(m->mnt_dir)))
			n++;
	if (f)
		endmntent(f);
	while (n-- > 0) {
		mount(NULL, dirs[n], NULL, MS_REMOUNT | MS_RDONLY, NULL);
		free(dirs[n]);
	}
}

int app_power(int action)
{
	const char *env = getenv("LIFEBOAT_RESCUE_SYSTEM");
	if (!env || strcmp(env, "1") != 0)
		return -1;
	sync();
	remount_disks_read_only();
	return reboot(action == LB_JOB_FINAL_REBOOT ? RB_AUTOBOOT : RB_POWER_OFF);
}
