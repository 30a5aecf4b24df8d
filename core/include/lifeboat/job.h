/* Job files: unattended runs. A job is parsed and checked whole (syntax,
 * steps, parameters, templates, machine tables, images) before any step
 * runs; a job with an error is rejected with "FILE:LINE: what is wrong".
 * The format is documented in README.md ("Job files"). */
#ifndef LIFEBOAT_JOB_H
#define LIFEBOAT_JOB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

struct lb_report_op;

#define LB_JOB_MAX_MACS 16

/* What templates may refer to about the machine the job runs on. */
struct lb_job_facts {
	char macs[LB_JOB_MAX_MACS][18];  /* "52:54:00:12:34:56", sorted by interface name */
	unsigned mac_count;
	char serial[128];    /* DMI product_serial ("" if unknown) */
	char vendor[128];    /* DMI sys_vendor */
	char product[128];   /* DMI product_name */
	struct tm now;       /* local time the job started */
};

/* Reads MACs from ROOT/sys/class/net/ (loopback and all-zero addresses left
 * out) and DMI fields from ROOT/sys/class/dmi/id/; root NULL or "" is "/". */
int lb_job_facts_gather(const char *root, struct lb_job_facts *facts);

struct lb_job_arg {
	char *key;
	char *value;     /* templates already expanded */
};

enum lb_job_cond_kind {
	LB_JOB_ALWAYS = 0,
	LB_JOB_IF_EQUAL,     /* if A == B then ... */
	LB_JOB_IF_NOT_EQUAL, /* if A != B then ... */
	LB_JOB_IF_EXISTS,    /* if exists PATH then ... (checked when reached) */
	LB_JOB_IF_FAILED,    /* if failed then ... (an earlier step failed) */
};

struct lb_job_step_ops;

struct lb_job_step {
	unsigned line;
	const struct lb_job_step_ops *ops;
	enum lb_job_cond_kind cond;
	char *cond_path;          /* LB_JOB_IF_EXISTS */
	bool cond_static_false;   /* ==/!= decided false when the job was loaded */
	unsigned argc;
	struct lb_job_arg *args;
	char *command;            /* "shell": the command line, expanded */
};

struct lb_job {
	char *path;               /* as named by the user, for messages */
	bool stop_at_error;       /* default true */
	char *report;             /* "report = DIR|URL", NULL if not given */
	int machine_line;         /* line of the machine row that matched, 0 if none */
	unsigned step_count;
	struct lb_job_step *steps;
};

/* Parses and checks a whole job. text need not be NUL-terminated. facts
 * supply the templates; on error the message is "PATH:LINE: ...". */
int lb_job_parse(const char *path, const char *text, size_t len,
		 const struct lb_job_facts *facts, struct lb_job **out);
/* Reads the file at path and parses it. */
int lb_job_load(const char *path, const struct lb_job_facts *facts, struct lb_job **out);
void lb_job_free(struct lb_job *job);

/* The value of key in step, or NULL. */
const char *lb_job_step_arg(const struct lb_job_step *step, const char *key);
/* The step's name as written in the job ("restore", "shell"...). */
const char *lb_job_step_name(const struct lb_job_step *step);
/* One line describing the step ("restore image=a.lbi target=/dev/sda"). */
char *lb_job_step_describe(const struct lb_job_step *step);

/* Templates: expands ${...} in text with facts, the environment and vars
 * (NULL-terminated name/value pairs, may be NULL) and the matched machine
 * row (may be NULL). Returns a new string, or NULL with the error set. */
char *lb_job_expand(const char *text, const struct lb_job_facts *facts,
		    char *const *vars, const struct lb_job_arg *machine, unsigned machine_cols);

enum lb_job_final_action {
	LB_JOB_FINAL_NONE = 0,
	LB_JOB_FINAL_REBOOT,
	LB_JOB_FINAL_POWEROFF,
};

enum lb_job_step_state {
	LB_JOB_STEP_STARTED,
	LB_JOB_STEP_DONE,
	LB_JOB_STEP_FAILED,
	LB_JOB_STEP_SKIPPED,    /* its condition was false */
	LB_JOB_STEP_NOT_RUN,    /* an earlier step failed and stop_at_error is on */
};

struct lb_job_run_options {
	bool dry_run;           /* walk the steps, run none */
	/* Called as each step starts and ends; rc is the step's result. */
	void (*on_step)(void *ctx, const struct lb_job *job, unsigned index,
			enum lb_job_step_state state, int rc, const char *message);
	void *ctx;
	/* Runs a step whose engine lives outside core/job (restore, capture,
	 * verify, the Windows and driver steps); fills op like a step's own run
	 * function. NULL: such steps fail as not available in this build. */
	int (*engine)(void *ctx, const struct lb_job_step *step, struct lb_report_op *op);
};

struct lb_job_result {
	unsigned done, failed, skipped, not_run;
	enum lb_job_final_action final_action;  /* reboot/poweroff asked for and reached */
};

struct lb_report;

/* Runs the steps in order; one report operation per step is added to report
 * (may be NULL). Returns 0 when no step failed, else the first failure's code
 * (its message stays set). */
int lb_job_run(const struct lb_job *job, const struct lb_job_run_options *opts,
	       struct lb_report *report, struct lb_job_result *result);

#endif
