/* The engines behind a job's image, Windows and driver steps (see
 * job_engines.c): the lb_job_run_options.engine of `lifeboat run`. */
#ifndef LIFEBOAT_JOB_ENGINES_H
#define LIFEBOAT_JOB_ENGINES_H

struct lb_job_step;
struct lb_report_op;

int job_engine_run(void *ctx, const struct lb_job_step *step, struct lb_report_op *op);

#endif
