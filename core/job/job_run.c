/* The job runner: walks a checked job's steps in order, honours conditions
 * and stop_at_error, calls each step's engine through the step table, and
 * records one report operation per step. */
#include "lifeboat/job.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "job_steps.h"
#include "lifeboat/error.h"
#include "lifeboat/report.h"

static void notify(const struct lb_job_run_options *opts, const struct lb_job *job, unsigned index,
		   enum lb_job_step_state state, int rc, const char *message)
{
	if (opts && opts->on_step)
		opts->on_step(opts->ctx, job, index, state, rc, message);
}

/* Whether the step's condition holds now. */
static bool condition_holds(const struct lb_job_step *s, bool failed_before)
{
	switch (s->cond) {
	case LB_JOB_ALWAYS:
		return true;
	case LB_JOB_IF_EQUAL:
	case LB_JOB_IF_NOT_EQUAL:
		return !s->cond_static_false;
	case LB_JOB_IF_EXISTS:
		return access(s->cond_path, F_OK) == 0;
	case LB_JOB_IF_FAILED:
		return failed_before;
	}
	return false;
}

static int run_step(const struct lb_job_run_options *opts, const struct lb_job_step *s,
		    struct lb_report_op *op)
{
	if (!s->ops->run && opts && opts->engine)
		return opts->engine(opts->ctx, s, op);
	if (!s->ops->run)
		return lb_fail(LB_E_UNSUPPORTED, "%s: not available in this build (needs %s)",
			       s->ops->name, s->ops->engine);
	return s->ops->run(s, op);
}

static struct lb_report_op *add_op(struct lb_report *report, const struct lb_job_step *s)
{
	if (!report)
		return NULL;
	struct lb_report_op *op = lb_report_add_op(report, s->ops->name);
	if (!op)
		return NULL;
	op->job_line = s->line;
	char *text = lb_job_step_describe(s);
	if (text)
		snprintf(op->detail, sizeof op->detail, "%s", text);
	free(text);
	const char *target = lb_job_step_arg(s, "target");
	const char *source = lb_job_step_arg(s, "source");
	const char *image = lb_job_step_arg(s, "image");
	snprintf(op->target, sizeof op->target, "%s", target ? target : "");
	snprintf(op->source, sizeof op->source, "%s", source ? source : "");
	snprintf(op->image, sizeof op->image, "%s", image ? image : "");
	return op;
}

int lb_job_run(const struct lb_job *job, const struct lb_job_run_options *opts,
	       struct lb_report *report, struct lb_job_result *result)
{
	memset(result, 0, sizeof *result);
	int first_error = 0;
	char first_message[512] = "";
	bool stopped = false;
	for (unsigned i = 0; i < job->step_count; i++) {
		const struct lb_job_step *s = &job->steps[i];
		struct lb_report_op *op = add_op(report, s);
		bool failed_before = first_error != 0;
		bool not_run = stopped || (failed_before && job->stop_at_error && s->cond != LB_JOB_IF_FAILED);
		if (not_run) {
			result->not_run++;
			if (op)
				lb_report_op_mark(op, "not run");
			notify(opts, job, i, LB_JOB_STEP_NOT_RUN, 0, NULL);
			continue;
		}
		if (!condition_holds(s, failed_before)) {
			result->skipped++;
			if (op)
				lb_report_op_mark(op, "skipped");
			notify(opts, job, i, LB_JOB_STEP_SKIPPED, 0, NULL);
			continue;
		}
		notify(opts, job, i, LB_JOB_STEP_STARTED, 0, NULL);
		int rc = opts && opts->dry_run ? 0 : run_step(opts, s, op);
		if (op)
			lb_report_op_end(op, rc);
		if (rc < 0) {
			result->failed++;
			if (!first_error) {
				first_error = rc;
				snprintf(first_message, sizeof first_message, "%s", lb_error_message());
			}
			notify(opts, job, i, LB_JOB_STEP_FAILED, rc, lb_error_message());
			continue;
		}
		result->done++;
		notify(opts, job, i, LB_JOB_STEP_DONE, 0, NULL);
		if (s->ops->final_action != LB_JOB_FINAL_NONE) {
			result->final_action = s->ops->final_action;
			stopped = true;
		}
	}
	if (first_error)
		lb_fail(first_error, "%s", first_message);
	return first_error;
}
