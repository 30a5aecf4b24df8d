/* The Network screen: the interfaces with their MAC, state and IPv4
 * address; DHCP (busybox udhcpc) or a static address (ip) on one; and a
 * Windows (SMB) or NFS share mounted as an image folder. */
#include <arpa/inet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <unistd.h>

#include "app_exec.h"
#include "lifeboat/error.h"
#include "lifeboat/paths.h"
#include "tui.h"
#include "tui_screens.h"

#define TITLE "Network"
#define MAX_IFACES 16

struct iface {
	char name[IF_NAMESIZE];
	char mac[18];
	bool up;
	char address[48];   /* "10.0.2.15/24" or "" */
};

static int prefix_length(struct in_addr mask)
{
	return __builtin_popcount(mask.s_addr);
}

static void describe_iface(int sock, struct iface *f)
{
	struct ifreq r;
	memset(&r, 0, sizeof r);
	snprintf(r.ifr_name, sizeof r.ifr_name, "%s", f->name);
	if (ioctl(sock, SIOCGIFFLAGS, &r) == 0)
		f->up = (r.ifr_flags & IFF_UP) != 0;
	if (ioctl(sock, SIOCGIFHWADDR, &r) == 0) {
		const unsigned char *m = (const unsigned char *)r.ifr_hwaddr.sa_data;
		snprintf(f->mac, sizeof f->mac, "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2], m[3], m[4], m[5]);
	}
	if (ioctl(sock, SIOCGIFADDR, &r) < 0)
		return;
	struct in_addr addr = ((struct sockaddr_in *)&r.ifr_addr)->sin_addr;
	if (ioctl(sock, SIOCGIFNETMASK, &r) < 0)
		return;
	char text[INET_ADDRSTRLEN];
	inet_ntop(AF_INET, &addr, text, sizeof text);
	snprintf(f->address, sizeof f->address, "%s/%d", text,
		 prefix_length(((struct sockaddr_in *)&r.ifr_netmask)->sin_addr));
}

static int by_name(const void *a, const void *b)
{
	return strcmp(((const struct iface *)a)->name, ((const struct iface *)b)->name);
}

/* The interfaces but loopback, by name. */
static int list_ifaces(struct iface *out, int max)
{
	struct if_nameindex *names = if_nameindex();
	if (!names)
		return 0;
	int sock = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	int n = 0;
	for (struct if_nameindex *i = names; i->if_name && n < max; i++) {
		if (strcmp(i->if_name, "lo") == 0)
			continue;
		memset(&out[n], 0, sizeof out[n]);
		snprintf(out[n].name, sizeof out[n].name, "%s", i->if_name);
		if (sock >= 0)
			describe_iface(sock, &out[n]);
		n++;
	}
	if (sock >= 0)
		close(sock);
	if_freenameindex(names);
	qsort(out, (size_t)n, sizeof *out, by_name);
	return n;
}

/* Shows what a helper program said, with a first line saying how it went. */
static void show_outcome(const char *what, int status, const char *output)
{
	char head[256];
	snprintf(head, sizeof head, status == 0 ? "%s: done." : "%s: FAILED.", what);
	const char *lines[16] = { head, "" };
	char copy[2048];
	snprintf(copy, sizeof copy, "%s", output);
	int n = 2;
	for (char *save, *l = strtok_r(copy, "\n", &save); l && n < 15; l = strtok_r(NULL, "\n", &save))
		lines[n++] = l;
	lines[n] = NULL;
	tui_message(TITLE, lines);
}

static void run_dhcp(const struct iface *f)
{
	char out[2048];
	char *up[] = { "ip", "link", "set", (char *)f->name, "up", NULL };
	int status = app_exec(up, out, sizeof out);
	char *dhcp[] = { "udhcpc", "-i", (char *)f->name, "-n", "-q", "-t", "5", "-s",
			 "/usr/share/udhcpc/default.script", NULL };
	if (status == 0)
		status = app_exec(dhcp, out, sizeof out);
	show_outcome("DHCP", status, out);
}

static void run_static(const struct iface *f)
{
	char address[64] = "", gateway[64] = "";
	const char *const lines[] = { "For example 192.168.1.50/24.", NULL };
	if (tui_input(TITLE, lines, "Address/prefix length:", address, sizeof address) != 0)
		return;
	const char *const gw_lines[] = { "Leave it empty when there is none.", NULL };
	if (tui_input(TITLE, gw_lines, "Gateway:", gateway, sizeof gateway) != 0)
		return;
	char out[2048];
	char *up[] = { "ip", "link", "set", (char *)f->name, "up", NULL };
	char *add[] = { "ip", "addr", "add", address, "dev", (char *)f->name, NULL };
	char *route[] = { "ip", "route", "replace", "default", "via", gateway, "dev", (char *)f->name, NULL };
	int status = app_exec(up, out, sizeof out);
	if (status == 0)
		status = app_exec(add, out, sizeof out);
	if (status == 0 && gateway[0])
		status = app_exec(route, out, sizeof out);
	show_outcome("Static address", status, out);
}

static void configure_iface(const struct iface *f)
{
	static const struct tui_row rows[] = {
		{ "Get an address by DHCP", false, "" },
		{ "Set a static address", false, "" },
	};
	char intro[128];
	snprintf(intro, sizeof intro, "Interface %s:", f->name);
	struct tui_list_spec spec = { .title = TITLE, .intro = intro, .rows = rows, .count = 2 };
	int choice = tui_list(&spec);
	if (choice == 0)
		run_dhcp(f);
	else if (choice == 1)
		run_static(f);
}

/* Mounts a share on a new folder below /run/lifeboat/net and adds it to
 * the image folders. */
static void mount_share(struct tui_system *sys, bool smb)
{
	char source[256] = "", user[64] = "", password[64] = "", options[512];
	const char *const src_lines[] = {
		smb ? "The share as //SERVER-IP/SHARE (the rescue system resolves no names)."
		    : "The export as SERVER-IP:/PATH.",
		NULL,
	};
	if (tui_input(TITLE, src_lines, "Share:", source, sizeof source) != 0)
		return;
	char server[64] = "";
	if (smb) {
		const char *const user_lines[] = { "Empty for a guest share.", NULL };
		if (tui_input(TITLE, user_lines, "User name:", user, sizeof user) != 0)
			return;
		if (user[0] && tui_input_secret(TITLE, NULL, "Password:", password, sizeof password) != 0)
			return;
		sscanf(source, "//%63[^/]", server);
		snprintf(options, sizeof options, user[0] ? "ip=%s,username=%s,password=%s" : "ip=%s,guest", server,
			 user, password);
	} else {
		sscanf(source, "%63[^:]", server);
		snprintf(options, sizeof options, "addr=%s,nolock,vers=3", server);
	}
	char dir[64];
	snprintf(dir, sizeof dir, "/run/lifeboat/net/%d", sys->image_dir_count);
	int status = lb_mkdirs(dir);
	char out[512] = "";
	if (status == 0 && mount(source, dir, smb ? "cifs" : "nfs", MS_RDONLY, options) < 0)
		status = lb_fail_errno(LB_E_IO, "mount %s", source);
	if (status < 0)
		snprintf(out, sizeof out, "%s", lb_error_message());
	else if (tui_system_add_image_dir(sys, dir) < 0)
		snprintf(out, sizeof out, "Mounted on %s, but there is no room for another image folder.", dir);
	else
		snprintf(out, sizeof out, "Mounted read-only on %s; its images are listed now.", dir);
	show_outcome(smb ? "SMB share" : "NFS share", status, out);
}

void tui_network_screen(struct tui_system *sys)
{
	for (;;) {
		struct iface ifaces[MAX_IFACES];
		int n = list_ifaces(ifaces, MAX_IFACES);
		struct tui_row rows[MAX_IFACES + 2];
		memset(rows, 0, sizeof rows);
		for (int i = 0; i < n; i++)
			snprintf(rows[i].text, sizeof rows[i].text, "%-12s %-17s %-4s %s", ifaces[i].name, ifaces[i].mac,
				 ifaces[i].up ? "up" : "down", ifaces[i].address[0] ? ifaces[i].address : "no address");
		snprintf(rows[n].text, sizeof rows[n].text, "Mount a Windows (SMB) share as an image folder");
		snprintf(rows[n + 1].text, sizeof rows[n + 1].text, "Mount an NFS share as an image folder");
		struct tui_list_spec spec = {
			.title = TITLE, .intro = "Choose an interface to set up, or a share to mount:",
			.header = "INTERFACE    MAC               STATE ADDRESS", .rows = rows, .count = n + 2,
		};
		int choice = tui_list(&spec);
		if (choice < 0)
			return;
		if (choice < n)
			configure_iface(&ifaces[choice]);
		else
			mount_share(sys, choice == n);
	}
}
