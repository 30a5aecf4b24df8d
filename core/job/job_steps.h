/* The job steps: what each accepts and how each runs (an ops table, one
 * entry per step; a step whose engine is not built in has no run function
 * and is reported as not available, never as done). */
#ifndef LIFEBOAT_JOB_STEPS_H
#define LIFEBOAT_JOB_STEPS_H

#include <stdbool.h>

#include "lifeboat/job.h"

struct lb_report_op;

enum lb_job_param_type {
	LB_JOB_PARAM_TEXT,
	LB_JOB_PARAM_BOOL,        /* yes | no */
	LB_JOB_PARAM_NUMBER,      /* decimal, > 0 */
	LB_JOB_PARAM_IMAGE_IN,    /* an existing image, or one written by an earlier step */
	LB_JOB_PARAM_IMAGE_OUT,   /* an image this step writes */
	LB_JOB_PARAM_TARGET,      /* an existing device or file, or FILE:N (partition N of it) */
	LB_JOB_PARAM_PATH_IN,     /* an existing file or folder */
	LB_JOB_PARAM_MOUNT_POINT, /* an absolute folder a step mounts a file system on */
};

struct lb_job_param {
	const char *key;
	enum lb_job_param_type type;
	bool required;
	bool repeat;              /* may be given several times */
};

struct lb_job_step_ops {
	const char *name;
	const char *engine;       /* who provides it, for "not available" */
	const struct lb_job_param *params;  /* terminated by key == NULL */
	bool takes_command;       /* "shell": the rest of the line is a command */
	enum lb_job_final_action final_action;
	/* Runs the step and fills op (bytes, image, target...); NULL when the
	 * engine is not part of this build. */
	int (*run)(const struct lb_job_step *step, struct lb_report_op *op);
};

const struct lb_job_step_ops *lb_job_find_step(const char *name);
/* "restore, capture, ..." for messages. */
const char *lb_job_step_names(void);

#endif
