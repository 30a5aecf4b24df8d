/* dnsmasq as lifeboat-pxe's DHCP (own range or proxyDHCP) and TFTP server:
 * the configuration it gets and the log lines it prints, turned into
 * status events. */
#ifndef LIFEBOAT_PXE_DNSMASQ_H
#define LIFEBOAT_PXE_DNSMASQ_H

#include <stdbool.h>

#include "lifeboat/strbuf.h"
#include "netif.h"
#include "status.h"

struct dnsmasq_setup {
	const struct netif *nif;
	const char *range_first;  /* own DHCP range; NULL for proxyDHCP */
	const char *range_last;
	const char *tftp_root;
	const char *lease_file;
};

/* The configuration file: no DNS, DHCP on the interface only, TFTP from
 * tftp_root, boot file by client architecture (option 93): pxelinux.0 for
 * BIOS, bootx64.efi (shim) for x86-64 UEFI. */
void dnsmasq_conf(struct lb_strbuf *out, const struct dnsmasq_setup *s);

/* Where a status event's strings are kept. */
struct dnsmasq_event_text {
	char client[64];
	char mac[64];
	char detail[600];
};

/* Turns one line of dnsmasq's log into a status event whose strings point
 * into text. Returns false for lines that say nothing about a client. */
bool dnsmasq_log_event(const char *line, struct status_event *ev, struct dnsmasq_event_text *text);

#endif
