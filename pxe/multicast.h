/* Multicast image delivery through udpcast's udp-sender: its command line
 * and its messages as status events. Clients run
 * `udp-receiver --nokbd | lifeboat restore - DISK --yes`. */
#ifndef LIFEBOAT_PXE_MULTICAST_H
#define LIFEBOAT_PXE_MULTICAST_H

#include <stdbool.h>

#include "status.h"

struct multicast_setup {
	const char *image;
	const char *interface;
	int clients;   /* start once this many receivers joined */
	int wait_s;    /* ... or this long after the first joined; 0: wait for all */
};

#define MULTICAST_MAX_ARGS 16

/* Fills argv (NULL-terminated) for udp-sender; numbers go into nums. */
void multicast_argv(const struct multicast_setup *m, const char *argv[MULTICAST_MAX_ARGS], char nums[2][16]);

/* Turns a line of udp-sender's output into an event (strings in client,
 * 64 bytes, and static text); false for progress and other chatter. */
bool multicast_log_event(const char *line, struct status_event *ev, char client[64]);

#endif
