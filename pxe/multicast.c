/* udp-sender for `lifeboat-pxe serve --multicast`: started without a
 * keyboard, once --clients receivers joined or --wait seconds after the
 * first; its "New connection from", "Starting transfer", "Transfer
 * complete." and "Disconnecting" lines become status events. */
#include "multicast.h"

#include <stdio.h>
#include <string.h>

void multicast_argv(const struct multicast_setup *m, const char *argv[MULTICAST_MAX_ARGS], char nums[2][16])
{
	int n = 0;
	snprintf(nums[0], sizeof nums[0], "%d", m->clients);
	snprintf(nums[1], sizeof nums[1], "%d", m->wait_s);
	argv[n++] = "udp-sender";
	argv[n++] = "--nokbd";
	argv[n++] = "--file";
	argv[n++] = m->image;
	argv[n++] = "--interface";
	argv[n++] = m->interface;
	argv[n++] = "--min-receivers";
	argv[n++] = nums[0];
	if (m->wait_s > 0) {
		argv[n++] = "--max-wait";
		argv[n++] = nums[1];
	}
	argv[n] = NULL;
}

bool multicast_log_event(const char *line, struct status_event *ev, char client[64])
{
	ev->event = "multicast";
	ev->mac = NULL;
	ev->client = NULL;
	if (sscanf(line, "New connection from %63s", client) == 1) {
		ev->client = client;
		ev->detail = "joined";
	} else if (sscanf(line, "Disconnecting #%*d (%63[^)])", client) == 1) {
		ev->client = client;
		ev->detail = "finished";
	} else if (strncmp(line, "Starting transfer", 17) == 0) {
		ev->detail = "transfer started";
	} else if (strncmp(line, "Transfer complete", 17) == 0) {
		ev->detail = "transfer complete";
	} else {
		return false;
	}
	return true;
}
