/* Status lines on stdout: what clients asked for (DHCP, TFTP, HTTP,
 * multicast) and what the server did, as text or as one JSON object a line
 * (--json). Safe to call from any thread. */
#ifndef LIFEBOAT_PXE_STATUS_H
#define LIFEBOAT_PXE_STATUS_H

#include <stdbool.h>

struct status_event {
	const char *event;   /* "dhcp", "tftp", "http", "multicast", "server" */
	const char *client;  /* client IPv4 address, or NULL */
	const char *mac;     /* client MAC, or NULL */
	const char *detail;  /* what happened */
};

void status_set_json(bool json);
void status_emit(const struct status_event *ev);
/* A "server" event with a printf-formatted detail. */
void status_server(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
