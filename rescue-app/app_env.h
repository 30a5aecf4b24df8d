/* Where the rescue app keeps its reports and reads machine facts, and how a
 * finished operation's report is saved. Shared by the CLI and the TUI. */
#ifndef LIFEBOAT_APP_ENV_H
#define LIFEBOAT_APP_ENV_H

struct lb_report;
struct lb_job_facts;

/* The logs folder: given (from --logs) if not NULL, else $LIFEBOAT_LOGS,
 * else /var/log/lifeboat. */
const char *app_logs_dir(const char *given);

/* The root under which sysfs and /proc are read: $LIFEBOAT_SYSROOT or "". */
const char *app_sysroot(void);

/* Fills the report's machine fields from facts. */
void app_report_machine(struct lb_report *report, const struct lb_job_facts *facts);

/* Saves report into the logs folder and, when extra is not NULL, also to
 * extra (a folder or an http:// URL). Returns 0, or the first error with
 * its message set. */
int app_save_report(const struct lb_report *report, const char *logs_dir, const char *extra);

/* Reboots or powers off (action: LB_JOB_FINAL_REBOOT or _POWEROFF) after a
 * sync; only inside the rescue system, whose /init sets
 * LIFEBOAT_RESCUE_SYSTEM=1. Returns -1 (and does nothing) elsewhere. */
int app_power(int action);

#endif
