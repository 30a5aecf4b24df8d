/* Writes the PXE boot menus: serial and screen consoles, the kernel and
 * initramfs over TFTP, DHCP in the rescue system and the job to run. */
#include "menus.h"

#include <stdio.h>

#define CONSOLES "console=ttyS0,115200 console=tty0"

/* "http://SERVER" or "http://SERVER:PORT". */
static void base_url(char *buf, size_t size, const struct menu_setup *m)
{
	if (m->http_port == 80)
		snprintf(buf, size, "http://%s", m->server);
	else
		snprintf(buf, size, "http://%s:%d", m->server, m->http_port);
}

/* The rescue system's arguments after the consoles. */
static void rescue_args(char *buf, size_t size, const struct menu_setup *m)
{
	char base[64];
	base_url(base, sizeof base, m);
	if (m->job)
		snprintf(buf, size, "ip=dhcp lifeboat.job=%s/job", base);
	else
		snprintf(buf, size, "ip=dhcp");
}

/* lpxelinux's HTTP client takes a broken connection for the end of the file
 * and boots what it got (a truncated initramfs ends in a kernel panic);
 * TFTP acknowledges every block, retries a lost one and never stops short
 * silently, so the kernel and initramfs come over TFTP. */
void menu_pxelinux(struct lb_strbuf *out, const struct menu_setup *m)
{
	char args[128];
	rescue_args(args, sizeof args, m);
	lb_strbuf_printf(out,
			 "SERIAL 0 115200\n"
			 "UI menu.c32\n"
			 "MENU TITLE Lifeboat network boot\n"
			 "TIMEOUT %d\n"
			 "DEFAULT lifeboat\n"
			 "\n"
			 "LABEL lifeboat\n"
			 "\tMENU LABEL Lifeboat%s\n"
			 "\tKERNEL /live/vmlinuz\n"
			 "\tAPPEND initrd=/live/initrd " CONSOLES " %s\n"
			 "LABEL local\n"
			 "\tMENU LABEL Boot from first hard disk\n"
			 "\tLOCALBOOT 0\n",
			 m->timeout * 10, m->job ? " (run the job from this server)" : "", args);
}

void menu_grub(struct lb_strbuf *out, const struct menu_setup *m)
{
	/* Debian 12's signed network GRUB has no http module built in (and
	 * cannot load one under Secure Boot), so the kernel and initramfs come
	 * over TFTP from the server GRUB was loaded from. */
	char args[128];
	rescue_args(args, sizeof args, m);
	lb_strbuf_printf(out,
			 "serial --unit=0 --speed=115200\n"
			 "terminal_input console serial\n"
			 "terminal_output console serial\n"
			 "set timeout=%d\n"
			 "set default=0\n"
			 "\n"
			 "menuentry \"Lifeboat%s\" {\n"
			 "\tlinux /live/vmlinuz " CONSOLES " %s\n"
			 "\tinitrd /live/initrd\n"
			 "}\n"
			 "menuentry \"Boot from first hard disk\" {\n"
			 "\texit\n"
			 "}\n",
			 m->timeout, m->job ? " (run the job from this server)" : "", args);
}
