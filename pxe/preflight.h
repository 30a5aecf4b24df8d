/* Checks done before lifeboat-pxe starts anything, each refusing with one
 * clear message: a usable boot tree, and free DHCP/TFTP ports. */
#ifndef LIFEBOAT_PXE_PREFLIGHT_H
#define LIFEBOAT_PXE_PREFLIGHT_H

#include <stdbool.h>

#include "netif.h"

/* The tree holds the kernel, the initramfs and the BIOS and UEFI boot
 * loaders, all readable by everyone (dnsmasq's TFTP runs as nobody). */
int preflight_tree(const char *tree);

/* A regular file readable by everyone, for the HTTP server and udp-sender
 * (what names it in messages: "--job", "--multicast"). */
int preflight_file(const char *what, const char *path);

/* Nobody else serves DHCP (67/udp, and 4011/udp for proxyDHCP) or TFTP
 * (69/udp) on the interface. */
int preflight_ports(const struct netif *nif, bool proxy);

#endif
