/* The table of job steps: parameters each accepts and the engine call each
 * makes. The steps of engines that are not part of this build have no run
 * function; the runner reports them as not available. */
#include "job_steps.h"

#include <errno.h>
#include <spawn.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/wait.h>

#include "lifeboat/error.h"
#include "lifeboat/paths.h"
#include "lifeboat/report.h"

extern char **environ;

static int run_shell(const struct lb_job_step *step, struct lb_report_op *op)
{
	(void)op;
	char *argv[] = { "sh", "-c", step->command, NULL };
	pid_t pid;
	int err = posix_spawn(&pid, "/bin/sh", NULL, NULL, argv, environ);
	if (err) {
		errno = err;
		return lb_fail_errno(LB_E_IO, "shell: cannot start /bin/sh");
	}
	int status;
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return lb_fail_errno(LB_E_IO, "shell: waiting for the command");
	if (WIFSIGNALED(status))
		return lb_fail(LB_E_IO, "shell: the command was killed by signal %d", WTERMSIG(status));
	if (WEXITSTATUS(status) != 0)
		return lb_fail(LB_E_IO, "shell: the command exited with status %d", WEXITSTATUS(status));
	return 0;
}

/* Mounts a file system (images or drivers on a second disk or the stick),
 * trying the usual types when none is given. */
static int run_mount(const struct lb_job_step *step, struct lb_report_op *op)
{
	(void)op;
	static const char *const types[] = { "ext4", "vfat", "ntfs3", "exfat", "iso9660", "xfs", "btrfs", NULL };
	const char *device = lb_job_step_arg(step, "device");
	const char *at = lb_job_step_arg(step, "at");
	const char *type = lb_job_step_arg(step, "type");
	const char *ro = lb_job_step_arg(step, "readonly");
	unsigned long flags = ro && strcmp(ro, "yes") == 0 ? MS_RDONLY : 0;
	int rc = lb_mkdirs(at);
	if (rc < 0)
		return rc;
	if (type) {
		if (mount(device, at, type, flags, NULL) < 0)
			return lb_fail_errno(LB_E_IO, "mount: %s (%s) on %s", device, type, at);
		return 0;
	}
	for (const char *const *t = types; *t; t++)
		if (mount(device, at, *t, flags, NULL) == 0)
			return 0;
	return lb_fail_errno(LB_E_IO, "mount: %s on %s (tried ext4, vfat, ntfs3, exfat, iso9660, xfs, btrfs)", device, at);
}

/* Reboot and power-off are carried out by the front end after the report is
 * saved; the step only records that it was reached. */
static int run_final_action(const struct lb_job_step *step, struct lb_report_op *op)
{
	(void)step;
	(void)op;
	return 0;
}

static const struct lb_job_param restore_params[] = {
	{ "image", LB_JOB_PARAM_IMAGE_IN, true, false },
	{ "target", LB_JOB_PARAM_TARGET, true, false },
	{ "partition", LB_JOB_PARAM_NUMBER, false, false },
	{ "verify_first", LB_JOB_PARAM_BOOL, false, false },
	{ "new_identity", LB_JOB_PARAM_BOOL, false, false },
	{ "grow_last", LB_JOB_PARAM_BOOL, false, false },
	{ "password_file", LB_JOB_PARAM_PATH_IN, false, false },
	{ "volumes", LB_JOB_PARAM_PATH_IN, false, true },
	{ 0 },
};

static const struct lb_job_param capture_params[] = {
	{ "source", LB_JOB_PARAM_TARGET, true, false },
	{ "image", LB_JOB_PARAM_IMAGE_OUT, true, false },
	{ "compress", LB_JOB_PARAM_TEXT, false, false },
	{ "comment", LB_JOB_PARAM_TEXT, false, false },
	{ "split", LB_JOB_PARAM_TEXT, false, false },
	{ "encrypt", LB_JOB_PARAM_BOOL, false, false },
	{ "password_file", LB_JOB_PARAM_PATH_IN, false, false },
	{ 0 },
};

static const struct lb_job_param verify_params[] = {
	{ "image", LB_JOB_PARAM_IMAGE_IN, true, false },
	{ "password_file", LB_JOB_PARAM_PATH_IN, false, false },
	{ "volumes", LB_JOB_PARAM_PATH_IN, false, true },
	{ 0 },
};

static const struct lb_job_param mir_params[] = {
	{ "target", LB_JOB_PARAM_TARGET, true, false },
	{ "drivers", LB_JOB_PARAM_PATH_IN, false, true },
	{ "hardware", LB_JOB_PARAM_PATH_IN, false, false },
	{ 0 },
};

static const struct lb_job_param rename_params[] = {
	{ "target", LB_JOB_PARAM_TARGET, true, false },
	{ "name", LB_JOB_PARAM_TEXT, true, false },
	{ "force", LB_JOB_PARAM_BOOL, false, false },
	{ 0 },
};

static const struct lb_job_param newsid_params[] = {
	{ "target", LB_JOB_PARAM_TARGET, true, false },
	{ "sid", LB_JOB_PARAM_TEXT, false, false },
	{ "force", LB_JOB_PARAM_BOOL, false, false },
	{ 0 },
};

static const struct lb_job_param inject_params[] = {
	{ "target", LB_JOB_PARAM_TARGET, true, false },
	{ "driver", LB_JOB_PARAM_PATH_IN, true, true },
	{ 0 },
};

static const struct lb_job_param target_only_params[] = {
	{ "target", LB_JOB_PARAM_TARGET, true, false },
	{ 0 },
};

static const struct lb_job_param setup_params[] = {
	{ "target", LB_JOB_PARAM_TARGET, true, false },
	{ "run", LB_JOB_PARAM_PATH_IN, true, false },
	{ 0 },
};

static const struct lb_job_param mount_params[] = {
	{ "device", LB_JOB_PARAM_TARGET, true, false },
	{ "at", LB_JOB_PARAM_MOUNT_POINT, true, false },
	{ "type", LB_JOB_PARAM_TEXT, false, false },
	{ "readonly", LB_JOB_PARAM_BOOL, false, false },
	{ 0 },
};

static const struct lb_job_param no_params[] = { { 0 } };

#define IMAGE_ENGINE "the image engine"
#define WINDOWS_ENGINE "the offline-Windows engine"
#define DRIVERS_ENGINE "the drivers engine"

static const struct lb_job_step_ops steps[] = {
	{ "restore", IMAGE_ENGINE, restore_params, false, LB_JOB_FINAL_NONE, NULL },
	{ "capture", IMAGE_ENGINE, capture_params, false, LB_JOB_FINAL_NONE, NULL },
	{ "verify", IMAGE_ENGINE, verify_params, false, LB_JOB_FINAL_NONE, NULL },
	{ "mir", DRIVERS_ENGINE, mir_params, false, LB_JOB_FINAL_NONE, NULL },
	{ "rename", WINDOWS_ENGINE, rename_params, false, LB_JOB_FINAL_NONE, NULL },
	{ "newsid", WINDOWS_ENGINE, newsid_params, false, LB_JOB_FINAL_NONE, NULL },
	{ "inject", DRIVERS_ENGINE, inject_params, false, LB_JOB_FINAL_NONE, NULL },
	{ "hal", WINDOWS_ENGINE, target_only_params, false, LB_JOB_FINAL_NONE, NULL },
	{ "setup", WINDOWS_ENGINE, setup_params, false, LB_JOB_FINAL_NONE, NULL },
	{ "mount", "the rescue system", mount_params, false, LB_JOB_FINAL_NONE, run_mount },
	{ "shell", "the rescue system", no_params, true, LB_JOB_FINAL_NONE, run_shell },
	{ "reboot", "the rescue system", no_params, false, LB_JOB_FINAL_REBOOT, run_final_action },
	{ "poweroff", "the rescue system", no_params, false, LB_JOB_FINAL_POWEROFF, run_final_action },
};

const struct lb_job_step_ops *lb_job_find_step(const char *name)
{
	for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++)
		if (strcmp(steps[i].name, name) == 0)
			return &steps[i];
	return NULL;
}

const char *lb_job_step_names(void)
{
	return "restore, capture, verify, mir, rename, newsid, inject, hal, setup, mount, shell, reboot, poweroff";
}
