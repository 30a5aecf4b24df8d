/* Child processes of lifeboat-pxe (dnsmasq, udp-sender): started in their
 * own process group with stdout and stderr on one pipe the server reads,
 * stopped with SIGTERM (SIGKILL after a grace period). */
#ifndef LIFEBOAT_PXE_CHILD_H
#define LIFEBOAT_PXE_CHILD_H

#include <stddef.h>
#include <sys/types.h>

struct child {
	const char *name;   /* for messages: "dnsmasq", "udp-sender" */
	pid_t pid;          /* 0 when not running */
	int out_fd;         /* read end of its stdout+stderr, -1 when closed */
	int status;         /* wait status once it ended */
	char partial[1024]; /* an output line not yet ended */
	size_t partial_len;
};

/* Starts argv (argv[0] looked up in PATH) with all signals unblocked. */
int child_start(struct child *c, const char *name, const char *const *argv);

/* Reads what the child printed and calls fn for each whole line (ended by
 * \n or \r). Returns 0, or 1 at end of output (the pipe closed). */
int child_read_lines(struct child *c, void (*fn)(const char *line, void *ctx), void *ctx);

/* Collects the child's exit without blocking; 1 when it has ended. */
int child_reap(struct child *c);

/* SIGTERM, then SIGKILL after grace_ms; waits for it and closes the pipe. */
void child_stop(struct child *c, int grace_ms);

#endif
