/* `lifeboat-pxe serve`: DHCP/proxyDHCP and TFTP through dnsmasq, the HTTP
 * server, optionally a multicast sender, until SIGINT/SIGTERM. */
#ifndef LIFEBOAT_PXE_SERVE_H
#define LIFEBOAT_PXE_SERVE_H

#include <stdbool.h>

struct serve_config {
	const char *interface;
	const char *tree;
	const char *images;     /* served as /images/ */
	const char *job;        /* served as /job, named on the kernel command line */
	const char *range;      /* "FIRST,LAST": own DHCP */
	bool proxy;             /* proxyDHCP beside an existing DHCP server */
	const char *multicast;  /* image for udp-sender */
	int clients;
	int wait_s;
	int http_port;
	int timeout;            /* boot menu seconds */
	bool json;
};

/* Runs the server; 0 after a clean stop by signal, else an LB_E code. */
int serve_run(const struct serve_config *cfg);

#endif
