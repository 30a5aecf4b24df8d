/* Grows the file system of a partition that was just grown (restore
 * --grow-last) to fill it, with the tools users trust for it: e2fsck -f -p
 * then resize2fs for ext2/3/4, ntfsresize for NTFS. They run on a loop
 * device over the partition's bytes, so disks and disk images are alike. */
#include "lifeboat/fs_grow.h"

#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lifeboat/error.h"
#include "lifeboat/loop.h"

extern char **environ;

/* The last line of text that is not blank. */
static void last_line(char *text, char *out, size_t len)
{
	char *line, *save = NULL;
	out[0] = '\0';
	for (line = strtok_r(text, "\r\n", &save); line; line = strtok_r(NULL, "\r\n", &save))
		if (strspn(line, " \t") < strlen(line))
			snprintf(out, len, "%s", line);
}

/* Runs argv (found on PATH) with its output kept; returns its exit status
 * (or <0 with lb_fail set when it could not run), the last line it printed
 * in last. */
static int run_tool(char *const argv[], char *last, size_t len)
{
	int out[2];
	last[0] = '\0';
	if (pipe2(out, O_CLOEXEC) < 0)
		return lb_fail_errno(LB_E_IO, "%s: no pipe", argv[0]);
	posix_spawn_file_actions_t fa;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_adddup2(&fa, out[1], 1);
	posix_spawn_file_actions_adddup2(&fa, out[1], 2);
	pid_t pid;
	int err = posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	close(out[1]);
	if (err) {
		close(out[0]);
		errno = err;
		return lb_fail_errno(LB_E_UNSUPPORTED, "%s cannot be run", argv[0]);
	}
	char tail[4096];   /* the end of what it printed */
	size_t have = 0;
	ssize_t n;
	while ((n = read(out[0], tail + have, sizeof tail - 1 - have)) != 0) {
		if (n < 0 && errno != EINTR)
			break;
		have += n > 0 ? (size_t)n : 0;
		if (have == sizeof tail - 1) {
			memmove(tail, tail + have / 2, have - have / 2);
			have -= have / 2;
		}
	}
	tail[have] = '\0';
	last_line(tail, last, len);
	close(out[0]);
	int status;
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return lb_fail_errno(LB_E_IO, "%s: waiting for it", argv[0]);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

static int tool_failed(const char *tool, int status, const char *last)
{
	return lb_fail(LB_E_IO, "%s failed (exit %d)%s%s", tool, status, last[0] ? ": " : "", last);
}

static int grow_ext(const char *dev)
{
	char last[256];
	char *check[] = { "e2fsck", "-f", "-p", (char *)dev, NULL };
	int st = run_tool(check, last, sizeof last);
	if (st < 0)
		return st;
	if (st > 1)
		return tool_failed("e2fsck", st, last);
	char *grow[] = { "resize2fs", (char *)dev, NULL };
	st = run_tool(grow, last, sizeof last);
	return st < 0 ? st : st ? tool_failed("resize2fs", st, last) : 0;
}

static int grow_ntfs(const char *dev)
{
	char last[256];
	char *grow[] = { "ntfsresize", "--force", "--no-progress-bar", (char *)dev, NULL };
	int st = run_tool(grow, last, sizeof last);
	return st < 0 ? st : st ? tool_failed("ntfsresize", st, last) : 0;
}

bool lb_fs_can_grow(const char *fs)
{
	return strcmp(fs, "ext2") == 0 || strcmp(fs, "ext3") == 0 || strcmp(fs, "ext4") == 0 || strcmp(fs, "ntfs") == 0;
}

int lb_fs_grow(const char *path, uint64_t offset, uint64_t size, const char *fs)
{
	if (!lb_fs_can_grow(fs))
		return 0;
	struct lb_loop loop;
	int rc = lb_loop_attach(path, offset, size, &loop);
	if (rc == 0) {
		rc = strcmp(fs, "ntfs") == 0 ? grow_ntfs(loop.name) : grow_ext(loop.name);
		lb_loop_detach(&loop);
	}
	return rc < 0 ? lb_fail_context(rc, "growing the %s file system", fs) : 0;
}
