/* Starting, reading and stopping the programs lifeboat-pxe runs in the
 * foreground beside itself (dnsmasq, udp-sender). */
#include "child.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "lifeboat/error.h"

int child_start(struct child *c, const char *name, const char *const *argv)
{
	memset(c, 0, sizeof *c);
	c->name = name;
	c->out_fd = -1;
	int p[2];
	if (pipe2(p, O_CLOEXEC) != 0)
		return lb_fail_errno(LB_E_IO, "cannot start %s", name);
	pid_t pid = fork();
	if (pid < 0) {
		close(p[0]);
		close(p[1]);
		return lb_fail_errno(LB_E_IO, "cannot start %s", name);
	}
	if (pid == 0) {
		sigset_t none;
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		setpgid(0, 0);
		int null_fd = open("/dev/null", O_RDONLY);
		dup2(null_fd, 0);
		dup2(p[1], 1);
		dup2(p[1], 2);
		execvp(argv[0], (char *const *)argv);
		dprintf(2, "cannot run %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	close(p[1]);
	fcntl(p[0], F_SETFL, O_NONBLOCK);
	c->pid = pid;
	c->out_fd = p[0];
	return 0;
}

int child_read_lines(struct child *c, void (*fn)(const char *line, void *ctx), void *ctx)
{
	if (c->out_fd < 0)
		return 1;
	char buf[4096];
	ssize_t n = read(c->out_fd, buf, sizeof buf);
	if (n < 0)
		return errno == EAGAIN || errno == EINTR ? 0 : 1;
	if (n == 0) {
		if (c->partial_len) {
			c->partial[c->partial_len] = '\0';
			fn(c->partial, ctx);
			c->partial_len = 0;
		}
		close(c->out_fd);
		c->out_fd = -1;
		return 1;
	}
	for (ssize_t i = 0; i < n; i++) {
		if (buf[i] == '\n' || buf[i] == '\r') {
			c->partial[c->partial_len] = '\0';
			if (c->partial_len)
				fn(c->partial, ctx);
			c->partial_len = 0;
		} else if (c->partial_len < sizeof c->partial - 1) {
			c->partial[c->partial_len++] = buf[i];
		}
	}
	return 0;
}

int child_reap(struct child *c)
{
	if (!c->pid)
		return 1;
	pid_t r = waitpid(c->pid, &c->status, WNOHANG);
	if (r == c->pid) {
		c->pid = 0;
		return 1;
	}
	return 0;
}

void child_stop(struct child *c, int grace_ms)
{
	if (c->pid) {
		kill(c->pid, SIGTERM);
		for (int waited = 0; waited < grace_ms && !child_reap(c); waited += 20)
			nanosleep(&(struct timespec){ .tv_nsec = 20 * 1000000L }, NULL);
		if (c->pid) {
			kill(c->pid, SIGKILL);
			waitpid(c->pid, &c->status, 0);
			c->pid = 0;
		}
	}
	if (c->out_fd >= 0) {
		close(c->out_fd);
		c->out_fd = -1;
	}
}
