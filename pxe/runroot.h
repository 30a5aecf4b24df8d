/* The run folder of one `lifeboat-pxe serve`: a private directory under
 * $TMPDIR holding tftp/ (the TFTP and HTTP root: a symlink to each entry of
 * the boot tree, plus this run's pxelinux.cfg/ and grub/ menus), the
 * dnsmasq configuration and its lease file. Removed when the server stops. */
#ifndef LIFEBOAT_PXE_RUNROOT_H
#define LIFEBOAT_PXE_RUNROOT_H

#include "menus.h"

struct runroot {
	char *dir;         /* the run folder */
	char *tftp;        /* dir/tftp */
	char *conf;        /* dir/dnsmasq.conf */
	char *leases;      /* dir/dnsmasq.leases */
};

/* Creates the run folder (readable by everyone: dnsmasq's TFTP runs as
 * nobody) with the tree's entries linked and the menus written. */
int runroot_create(struct runroot *r, const char *tree, const struct menu_setup *menus);

/* Writes text into the file at path (mode 0644). */
int runroot_write(const char *path, const char *text);

/* Removes the run folder (never following its symlinks) and frees r. */
void runroot_remove(struct runroot *r);

#endif
