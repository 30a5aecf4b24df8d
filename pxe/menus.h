/* The boot menus lifeboat-pxe hands to network-booting clients: pxelinux
 * (BIOS) and GRUB (UEFI), both loading the kernel and initramfs over TFTP.
 * With a job the kernel command line carries lifeboat.job=http://SERVER/job
 * so the client restores unattended. */
#ifndef LIFEBOAT_PXE_MENUS_H
#define LIFEBOAT_PXE_MENUS_H

#include <stdbool.h>

#include "lifeboat/strbuf.h"

struct menu_setup {
	const char *server;  /* the server's IPv4 address */
	int http_port;
	bool job;            /* a job file is served at /job */
	int timeout;         /* seconds before the default entry boots */
};

/* pxelinux.cfg/default for lpxelinux.0 (installed as pxelinux.0). */
void menu_pxelinux(struct lb_strbuf *out, const struct menu_setup *m);
/* grub/grub.cfg for Debian's signed network GRUB (prefix (tftp,SERVER)/grub). */
void menu_grub(struct lb_strbuf *out, const struct menu_setup *m);

#endif
