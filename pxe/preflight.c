/* Refusals before serving: the boot tree's files and permissions, and the
 * DHCP/TFTP ports, probed by binding them the way dnsmasq will. */
#include "preflight.h"

#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lifeboat/error.h"

/* What a tree from `lifeboat-build pxe` holds and clients need. */
static const char *const tree_files[] = {
	"live/vmlinuz", "live/initrd",                                   /* the rescue system */
	"pxelinux.0", "ldlinux.c32", "menu.c32", "libutil.c32", "libcom32.c32", /* BIOS */
	"bootx64.efi", "grubx64.efi",                                     /* UEFI: shim, network GRUB */
};

/* True when path and every folder above it can be read by everyone. */
static bool world_readable(const char *path)
{
	char real[PATH_MAX];
	struct stat st;
	if (!realpath(path, real) || stat(real, &st) != 0 || !(st.st_mode & S_IROTH))
		return false;
	for (char *slash = strrchr(real, '/'); slash && slash != real; slash = strrchr(real, '/')) {
		*slash = '\0';
		if (stat(real, &st) != 0 || !(st.st_mode & S_IXOTH))
			return false;
	}
	return true;
}

int preflight_file(const char *what, const char *path)
{
	struct stat st;
	if (stat(path, &st) != 0)
		return lb_fail_errno(LB_E_NOTFOUND, "%s %s", what, path);
	if (!S_ISREG(st.st_mode))
		return lb_fail(LB_E_INVALID, "%s %s: not a regular file", what, path);
	if (access(path, R_OK) != 0)
		return lb_fail_errno(LB_E_IO, "%s %s", what, path);
	return 0;
}

int preflight_tree(const char *tree)
{
	struct stat st;
	if (stat(tree, &st) != 0 || !S_ISDIR(st.st_mode))
		return lb_fail(LB_E_NOTFOUND, "tree %s: no such folder (make one with lifeboat-build pxe -o %s)", tree, tree);
	for (size_t i = 0; i < sizeof tree_files / sizeof *tree_files; i++) {
		char path[PATH_MAX];
		snprintf(path, sizeof path, "%s/%s", tree, tree_files[i]);
		if (stat(path, &st) != 0 || !S_ISREG(st.st_mode))
			return lb_fail(LB_E_NOTFOUND, "tree %s has no %s (make the tree with lifeboat-build pxe -o DIR)",
				       tree, tree_files[i]);
		if (!world_readable(path))
			return lb_fail(LB_E_REFUSED,
				       "tree %s: %s is not readable by everyone, and dnsmasq's TFTP runs as nobody "
				       "(chmod -R a+rX the tree and the folders above it)", tree, tree_files[i]);
	}
	return 0;
}

/* Binds port/udp on addr, tied to the interface like dnsmasq's sockets. */
static int probe_udp(const struct netif *nif, struct in_addr addr, int port, const char *what)
{
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return lb_fail_errno(LB_E_IO, "cannot open a socket");
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port), .sin_addr = addr };
	int rc = 0;
	if (setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, nif->name, (socklen_t)strlen(nif->name)) != 0)
		rc = lb_fail_errno(LB_E_IO, "cannot tie a socket to %s", nif->name);
	else if (bind(fd, (struct sockaddr *)&sa, sizeof sa) != 0)
		rc = errno == EADDRINUSE ? lb_fail(LB_E_REFUSED, "port %d/udp (%s) on %s is in use by another program; stop it first",
						   port, what, nif->name)
					 : lb_fail_errno(LB_E_IO, "cannot bind port %d/udp", port);
	close(fd);
	return rc;
}

int preflight_ports(const struct netif *nif, bool proxy)
{
	struct in_addr any = { .s_addr = htonl(INADDR_ANY) };
	int rc = probe_udp(nif, any, 67, "DHCP");
	if (!rc && proxy)
		rc = probe_udp(nif, any, 4011, "proxyDHCP");
	if (!rc)
		rc = probe_udp(nif, nif->addr, 69, "TFTP");
	return rc;
}
