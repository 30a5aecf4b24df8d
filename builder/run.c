/* Process runner for lifeboat-build: fork/exec a tool with stdin from a
 * file or a string, stdout to a file or a buffer, stderr kept for the error
 * message, and no shell in between. */
#include "run.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lifeboat/error.h"

#define RUN_MAX_ARGS 256

int tool_exists(const char *prog)
{
	if (strchr(prog, '/'))
		return access(prog, X_OK) == 0;
	const char *path = getenv("PATH");
	if (!path)
		path = "/usr/sbin:/usr/bin:/sbin:/bin";
	while (*path) {
		size_t n = strcspn(path, ":");
		char candidate[4096];
		if (snprintf(candidate, sizeof candidate, "%.*s/%s", (int)n, path, prog) < (int)sizeof candidate &&
		    access(candidate, X_OK) == 0)
			return 1;
		path += n;
		if (*path == ':')
			path++;
	}
	return 0;
}

/* In the child: wire fds 0/1/2 and exec. Never returns. */
static void exec_child(const char *const *argv, const struct run_io *io, int in_fd, int out_fd, int err_fd)
{
	if (io && io->cwd && chdir(io->cwd) != 0)
		_exit(126);
	dup2(in_fd, 0);
	dup2(out_fd, 1);
	dup2(err_fd, 2);
	execvp(argv[0], (char *const *)argv);
	dprintf(2, "cannot run %s: %s\n", argv[0], strerror(errno));
	_exit(127);
}

static int open_stdin(const struct run_io *io, int *feed)
{
	*feed = -1;
	if (io && io->stdin_text) {
		int p[2];
		if (pipe2(p, O_CLOEXEC) != 0)
			return -1;
		*feed = p[1];
		return p[0];
	}
	const char *path = io && io->stdin_file ? io->stdin_file : "/dev/null";
	return open(path, O_RDONLY | O_CLOEXEC);
}

static int open_stdout(const struct run_io *io, int *capture)
{
	*capture = -1;
	if (io && io->stdout_file)
		return open(io->stdout_file, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (io && io->out) {
		int p[2];
		if (pipe2(p, O_CLOEXEC) != 0)
			return -1;
		*capture = p[0];
		return p[1];
	}
	return open("/dev/null", O_WRONLY | O_CLOEXEC);
}

/* Moves data between the child's pipes and our buffers until all close. */
static void pump(int feed, const char *text, int capture, struct lb_strbuf *out, int err, struct lb_strbuf *errbuf)
{
	size_t fed = 0, text_len = text ? strlen(text) : 0;
	char buf[65536];
	for (;;) {
		struct pollfd fds[3];
		int n = 0;
		if (feed >= 0)
			fds[n++] = (struct pollfd){ .fd = feed, .events = POLLOUT };
		if (capture >= 0)
			fds[n++] = (struct pollfd){ .fd = capture, .events = POLLIN };
		if (err >= 0)
			fds[n++] = (struct pollfd){ .fd = err, .events = POLLIN };
		if (n == 0)
			return;
		if (poll(fds, n, -1) < 0) {
			if (errno == EINTR)
				continue;
			return;
		}
		for (int i = 0; i < n; i++) {
			if (!fds[i].revents)
				continue;
			int fd = fds[i].fd;
			if (fd == feed) {
				ssize_t w = write(feed, text + fed, text_len - fed);
				if (w > 0)
					fed += (size_t)w;
				if (w < 0 || fed == text_len) {
					close(feed);
					feed = -1;
				}
				continue;
			}
			ssize_t r = read(fd, buf, sizeof buf);
			if (r > 0) {
				lb_strbuf_append(fd == err ? errbuf : out, buf, (size_t)r);
				continue;
			}
			close(fd);
			if (fd == err)
				err = -1;
			else
				capture = -1;
		}
	}
}

/* The last non-empty line of text, copied into line. */
static void last_line(const char *text, char *line, size_t size)
{
	const char *end = text + strlen(text);
	while (end > text && (end[-1] == '\n' || end[-1] == '\r' || end[-1] == ' '))
		end--;
	const char *start = end;
	while (start > text && start[-1] != '\n')
		start--;
	snprintf(line, size, "%.*s", (int)(end - start), start);
}

int run_tool(const char *const *argv, const struct run_io *io)
{
	int feed, capture, errp[2];
	int in_fd = open_stdin(io, &feed);
	if (in_fd < 0)
		return lb_fail_errno(LB_E_IO, "%s: cannot open its input", argv[0]);
	int out_fd = open_stdout(io, &capture);
	if (out_fd < 0) {
		close(in_fd);
		return lb_fail_errno(LB_E_IO, "%s: cannot open %s", argv[0],
				     io && io->stdout_file ? io->stdout_file : "its output");
	}
	if (pipe2(errp, O_CLOEXEC) != 0) {
		close(in_fd);
		close(out_fd);
		return lb_fail_errno(LB_E_IO, "pipe");
	}
	pid_t pid = fork();
	if (pid == 0)
		exec_child(argv, io, in_fd, out_fd, errp[1]);
	close(in_fd);
	close(out_fd);
	close(errp[1]);
	struct lb_strbuf errbuf;
	lb_strbuf_init(&errbuf);
	if (pid < 0) {
		close(errp[0]);
		if (feed >= 0)
			close(feed);
		if (capture >= 0)
			close(capture);
		return lb_fail_errno(LB_E_IO, "cannot start %s", argv[0]);
	}
	pump(feed, io ? io->stdin_text : NULL, capture, io ? io->out : NULL, errp[0], &errbuf);
	int status;
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	int rc = 0;
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		char line[512];
		last_line(lb_strbuf_str(&errbuf), line, sizeof line);
		if (line[0])
			rc = lb_fail(LB_E_IO, "%s failed: %s", argv[0], line);
		else if (WIFEXITED(status))
			rc = lb_fail(LB_E_IO, "%s failed with exit status %d", argv[0], WEXITSTATUS(status));
		else
			rc = lb_fail(LB_E_IO, "%s was killed by signal %d", argv[0], WTERMSIG(status));
	}
	lb_strbuf_free(&errbuf);
	return rc;
}

int run_toolv(const struct run_io *io, const char *prog, ...)
{
	const char *argv[RUN_MAX_ARGS];
	int n = 0;
	va_list ap;
	va_start(ap, prog);
	argv[n++] = prog;
	const char *a;
	while ((a = va_arg(ap, const char *)) && n < RUN_MAX_ARGS - 1)
		argv[n++] = a;
	va_end(ap);
	argv[n] = NULL;
	return run_tool(argv, io);
}
