/* The engines behind a job's restore, capture, verify and Windows/driver
 * steps: each step runs the lifeboat command a user would type (a child
 * process of this same program, so a crashing engine fails its step and
 * the job still saves its report); the step's error is that command's
 * "lifeboat: ..." line, and image steps record the image's ID and size. */
#include "job_engines.h"

#include <errno.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lifeboat/error.h"
#include "lifeboat/image.h"
#include "lifeboat/job.h"
#include "lifeboat/report.h"

extern char **environ;

#define MAX_ARGS 80

struct argv_builder {
	char *argv[MAX_ARGS + 1];
	int argc;
};

static int add(struct argv_builder *b, const char *arg)
{
	if (b->argc >= MAX_ARGS)
		return lb_fail(LB_E_INVALID, "too many parameters for one step");
	b->argv[b->argc++] = (char *)arg;
	b->argv[b->argc] = NULL;
	return 0;
}

/* Adds FLAG when the step says key=yes. */
static int add_bool(struct argv_builder *b, const struct lb_job_step *s, const char *key, const char *flag)
{
	const char *v = lb_job_step_arg(s, key);
	return v && strcmp(v, "yes") == 0 ? add(b, flag) : 0;
}

/* Adds "FLAG VALUE" for every key=VALUE of the step (FLAG NULL: VALUE only). */
static int add_each(struct argv_builder *b, const struct lb_job_step *s, const char *key, const char *flag)
{
	for (unsigned i = 0; i < s->argc; i++) {
		if (strcmp(s->args[i].key, key) != 0)
			continue;
		int rc = flag ? add(b, flag) : 0;
		if (rc < 0 || (rc = add(b, s->args[i].value)) < 0)
			return rc;
	}
	return 0;
}

/* The command line of the step; its image, if any, in *image. */
static int build_argv(const struct lb_job_step *s, struct argv_builder *b, const char **image)
{
	const char *name = lb_job_step_name(s);
	int rc = add(b, "lifeboat");
	*image = NULL;
	if (strcmp(name, "restore") == 0) {
		*image = lb_job_step_arg(s, "image");
		rc = rc ? rc : add(b, "restore");
		rc = rc ? rc : add(b, "--yes");
		rc = rc ? rc : add_each(b, s, "partition", "--partition");
		rc = rc ? rc : add_bool(b, s, "verify_first", "--verify-first");
		rc = rc ? rc : add_bool(b, s, "new_identity", "--new-identity");
		rc = rc ? rc : add_bool(b, s, "grow_last", "--grow-last");
		rc = rc ? rc : add_each(b, s, "password_file", "--password-file");
		rc = rc ? rc : add_each(b, s, "volumes", "--volumes");
		rc = rc ? rc : add(b, *image);
		return rc ? rc : add(b, lb_job_step_arg(s, "target"));
	}
	if (strcmp(name, "capture") == 0) {
		*image = lb_job_step_arg(s, "image");
		rc = rc ? rc : add(b, "capture");
		rc = rc ? rc : add_each(b, s, "compress", "--compress");
		rc = rc ? rc : add_each(b, s, "comment", "--comment");
		rc = rc ? rc : add_each(b, s, "split", "--split");
		rc = rc ? rc : add_bool(b, s, "encrypt", "--encrypt");
		rc = rc ? rc : add_each(b, s, "password_file", "--password-file");
		rc = rc ? rc : add(b, lb_job_step_arg(s, "source"));
		return rc ? rc : add(b, *image);
	}
	if (strcmp(name, "verify") == 0) {
		*image = lb_job_step_arg(s, "image");
		rc = rc ? rc : add(b, "verify");
		rc = rc ? rc : add_each(b, s, "password_file", "--password-file");
		rc = rc ? rc : add_each(b, s, "volumes", "--volumes");
		return rc ? rc : add(b, *image);
	}
	/* The Windows and driver steps: lifeboat win NAME TARGET ... */
	rc = rc ? rc : add(b, "win");
	rc = rc ? rc : add(b, name);
	rc = rc ? rc : add(b, lb_job_step_arg(s, "target"));
	rc = rc ? rc : add_each(b, s, "name", NULL);
	rc = rc ? rc : add_each(b, s, "driver", NULL);
	rc = rc ? rc : add_each(b, s, "drivers", "--drivers");
	rc = rc ? rc : add_each(b, s, "hardware", "--hardware");
	rc = rc ? rc : add_each(b, s, "sid", "--sid");
	rc = rc ? rc : add_each(b, s, "run", "--run");
	return rc ? rc : add_bool(b, s, "force", "--force");
}

/* Passes the child's stderr through and keeps its last error line. */
static void relay_errors(int fd, char *last, size_t size)
{
	FILE *in = fdopen(fd, "r");
	if (!in) {
		close(fd);
		return;
	}
	char line[1024];
	while (fgets(line, sizeof line, in)) {
		fputs(line, stderr);
		if (strncmp(line, "lifeboat: ", 10) == 0 && strncmp(line, "lifeboat: warning: ", 19) != 0) {
			snprintf(last, size, "%s", line + 10);
			last[strcspn(last, "\n")] = '\0';
		}
	}
	fclose(in);
}

static int run_child(char **argv, const char *step)
{
	int pipefd[2];
	if (pipe(pipefd) < 0)
		return lb_fail_errno(LB_E_IO, "%s: cannot make a pipe", step);
	posix_spawn_file_actions_t fa;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, pipefd[1], STDERR_FILENO);
	posix_spawn_file_actions_addclose(&fa, pipefd[0]);
	posix_spawn_file_actions_addclose(&fa, pipefd[1]);
	fflush(NULL);
	pid_t pid;
	int err = posix_spawn(&pid, "/proc/self/exe", &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	close(pipefd[1]);
	if (err) {
		close(pipefd[0]);
		errno = err;
		return lb_fail_errno(LB_E_IO, "%s: cannot start lifeboat", step);
	}
	char last[1024] = "";
	relay_errors(pipefd[0], last, sizeof last);
	int status;
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return lb_fail_errno(LB_E_IO, "%s: waiting for lifeboat", step);
	if (WIFSIGNALED(status))
		return lb_fail(LB_E_IO, "%s: the engine was killed by signal %d", step, WTERMSIG(status));
	if (WEXITSTATUS(status) != 0)
		return lb_fail(LB_E_IO, "%s", last[0] ? last : "the command failed without saying why");
	return 0;
}

/* Records which image the step read or wrote, and how many bytes it holds. */
static void note_image(const char *path, struct lb_report_op *op)
{
	struct lb_image *img;
	if (!op || lb_image_open(path, &img) < 0) {
		lb_error_clear();
		return;
	}
	const struct lb_image_info *info = lb_image_get_info(img);
	lb_report_set_image_id(op, info->uuid);
	op->bytes = info->used_bytes;
	lb_image_close(img);
}

int job_engine_run(void *ctx, const struct lb_job_step *step, struct lb_report_op *op)
{
	(void)ctx;
	struct argv_builder b = { .argc = 0 };
	const char *image;
	int rc = build_argv(step, &b, &image);
	if (rc < 0)
		return rc;
	if ((rc = run_child(b.argv, lb_job_step_name(step))) < 0)
		return rc;
	if (image)
		note_image(image, op);
	return 0;
}
