/* lifeboat run: runs a job file (a path, an http:// URL, or the
 * lifeboat.job= argument of the kernel command line) unattended, prints each
 * step as it goes and saves the job's report. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app_env.h"
#include "cli.h"
#include "commands.h"
#include "job_engines.h"
#include "lifeboat/error.h"
#include "lifeboat/http.h"
#include "lifeboat/job.h"
#include "lifeboat/report.h"

struct run_args {
	const char *job;
	const char *logs;
	bool dry_run;
	bool from_cmdline;
};

static int parse_args(int argc, char **argv, struct run_args *a)
{
	memset(a, 0, sizeof *a);
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--dry-run") == 0)
			a->dry_run = true;
		else if (strcmp(argv[i], "--from-cmdline") == 0)
			a->from_cmdline = true;
		else if (strcmp(argv[i], "--logs") == 0 && i + 1 < argc)
			a->logs = argv[++i];
		else if (argv[i][0] == '-')
			return cli_usage_error("run", "run: unknown option '%s'", argv[i]);
		else if (a->job)
			return cli_usage_error("run", "run: only one job at a time");
		else
			a->job = argv[i];
	}
	if (!a->job == !a->from_cmdline)
		return cli_usage_error("run", "run: give a JOB or --from-cmdline");
	return CLI_OK;
}

/* Finds lifeboat.job=VALUE in the kernel command line; "" when absent. */
static int job_from_cmdline(char *out, size_t size)
{
	char path[4096], line[4096];
	snprintf(path, sizeof path, "%s/proc/cmdline", app_sysroot());
	FILE *f = fopen(path, "r");
	if (!f)
		return cli_fail("cannot read %s", path);
	if (!fgets(line, sizeof line, f))
		line[0] = '\0';
	fclose(f);
	out[0] = '\0';
	for (char *tok = strtok(line, " \t\n"); tok; tok = strtok(NULL, " \t\n"))
		if (strncmp(tok, "lifeboat.job=", 13) == 0)
			snprintf(out, size, "%s", tok + 13);
	return CLI_OK;
}

static int load_job(const char *name, const struct lb_job_facts *facts, struct lb_job **job)
{
	if (strncmp(name, "http://", 7) != 0)
		return lb_job_load(name, facts, job);
	struct lb_strbuf text;
	lb_strbuf_init(&text);
	int rc = lb_http_get(name, &text);
	if (rc == 0)
		rc = lb_job_parse(name, lb_strbuf_str(&text), text.len, facts, job);
	lb_strbuf_free(&text);
	return rc;
}

static void print_step(void *ctx, const struct lb_job *job, unsigned index,
		       enum lb_job_step_state state, int rc, const char *message)
{
	(void)ctx;
	(void)rc;
	const struct lb_job_step *s = &job->steps[index];
	char *text = lb_job_step_describe(s);
	switch (state) {
	case LB_JOB_STEP_STARTED:
		printf("[%u/%u] line %u: %s\n", index + 1, job->step_count, s->line, text ? text : s->ops ? lb_job_step_name(s) : "");
		break;
	case LB_JOB_STEP_DONE:
		printf("      done\n");
		break;
	case LB_JOB_STEP_FAILED:
		printf("      FAILED: %s\n", message);
		break;
	case LB_JOB_STEP_SKIPPED:
		printf("[%u/%u] line %u: %s: skipped (condition false)\n", index + 1, job->step_count, s->line, lb_job_step_name(s));
		break;
	case LB_JOB_STEP_NOT_RUN:
		printf("[%u/%u] line %u: %s: not run (an earlier step failed)\n", index + 1, job->step_count, s->line, lb_job_step_name(s));
		break;
	}
	fflush(stdout);
	free(text);
}

/* Reboot or power off at the end of a job (only inside the rescue system). */
static void final_action(enum lb_job_final_action action)
{
	if (action == LB_JOB_FINAL_NONE)
		return;
	const char *what = action == LB_JOB_FINAL_REBOOT ? "reboot" : "power off";
	printf("lifeboat: the job is done, %s\n", what);
	fflush(stdout);
	if (app_power(action) < 0)
		fprintf(stderr, "lifeboat: warning: the job asks to %s; not done outside the rescue system\n", what);
}

static int save_rejected(const char *name, const struct lb_job_facts *facts, const char *logs)
{
	char message[1024];
	snprintf(message, sizeof message, "%s", lb_error_message());
	struct lb_report *report = lb_report_new("job");
	if (report) {
		snprintf(report->job, sizeof report->job, "%s", name);
		app_report_machine(report, facts);
		lb_report_end(report, LB_E_INVALID, message);
		if (app_save_report(report, logs, NULL) < 0)
			cli_print_warnings();
		lb_report_free(report);
	}
	return cli_fail("%s", message);
}

static int execute(const char *name, struct lb_job *job, const struct lb_job_facts *facts,
		   const struct run_args *a)
{
	struct lb_job_run_options opts = { .dry_run = a->dry_run, .on_step = print_step,
					     .engine = job_engine_run };
	struct lb_job_result result;
	struct lb_report *report = a->dry_run ? NULL : lb_report_new("job");
	if (!a->dry_run && !report)
		return cli_fail_core();
	if (report) {
		snprintf(report->job, sizeof report->job, "%s", name);
		app_report_machine(report, facts);
	}
	int rc = lb_job_run(job, &opts, report, &result);
	char message[1024];
	snprintf(message, sizeof message, "%s", lb_error_message());
	printf("%s: %u done, %u failed, %u skipped, %u not run%s\n", name, result.done, result.failed,
	       result.skipped, result.not_run, a->dry_run ? " (dry run: nothing was changed)" : "");
	int save_rc = 0;
	if (report) {
		lb_report_end(report, rc, message);
		save_rc = app_save_report(report, app_logs_dir(a->logs), job->report);
		lb_report_free(report);
	}
	int exit_rc = CLI_OK;
	if (rc < 0)
		exit_rc = cli_fail("%s: %s", name, message);
	else if (save_rc < 0)
		exit_rc = cli_fail("the report could not be saved: %s", lb_error_message());
	/* A failed job may still end in a power-off ("if failed then poweroff"). */
	if (!a->dry_run && save_rc == 0)
		final_action(result.final_action);
	return exit_rc;
}

int cmd_run(int argc, char **argv)
{
	struct run_args a;
	int rc = parse_args(argc, argv, &a);
	if (rc != CLI_OK)
		return rc;
	char from_cmdline[4096];
	if (a.from_cmdline) {
		if ((rc = job_from_cmdline(from_cmdline, sizeof from_cmdline)) != CLI_OK)
			return rc;
		if (!from_cmdline[0]) {
			printf("no lifeboat.job= on the kernel command line\n");
			return CLI_OK;
		}
		a.job = from_cmdline;
	}
	struct lb_job_facts facts;
	if (lb_job_facts_gather(app_sysroot(), &facts) < 0)
		return cli_fail_core();
	struct lb_job *job;
	if (load_job(a.job, &facts, &job) < 0)
		return a.dry_run ? cli_fail_core() : save_rejected(a.job, &facts, app_logs_dir(a.logs));
	cli_print_warnings();
	rc = execute(a.job, job, &facts, &a);
	lb_job_free(job);
	return rc;
}
