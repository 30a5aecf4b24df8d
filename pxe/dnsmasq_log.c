/* Reads dnsmasq's log lines (log-facility=-) for what clients asked:
 *   dnsmasq-dhcp[PID]: DHCPACK(IF) 10.0.0.50 52:54:00:12:34:56 [name]
 *   dnsmasq-dhcp[PID]: PXE(IF) 10.0.0.50 52:54:00:12:34:56 pxelinux.0
 *   dnsmasq-tftp[PID]: sent /run/.../tftp/pxelinux.0 to 10.0.0.50
 *   dnsmasq-tftp[PID]: file /run/.../tftp/x not found for 10.0.0.50 */
#include <stdio.h>
#include <string.h>

#include "dnsmasq.h"

/* The text after "dnsmasq-KIND[PID]: ", or NULL when line is not from KIND. */
static const char *after_tag(const char *line, const char *kind)
{
	size_t n = strlen(kind);
	if (strncmp(line, kind, n) != 0 || (line[n] != '[' && line[n] != ':'))
		return NULL;
	const char *p = strstr(line + n, ": ");
	return p ? p + 2 : NULL;
}

/* True when word is a MAC address (xx:xx:xx:xx:xx:xx). */
static bool is_mac(const char *word)
{
	unsigned v[6];
	char end;
	return strlen(word) == 17 &&
	       sscanf(word, "%2x:%2x:%2x:%2x:%2x:%2x%c", &v[0], &v[1], &v[2], &v[3], &v[4], &v[5], &end) == 6;
}

/* "DHCPxxx(IF) [IP] MAC [rest]" or "PXE(IF) [IP] MAC [file]". */
static bool dhcp_event(const char *line, struct status_event *ev, struct dnsmasq_event_text *t)
{
	char what[32], w1[64] = "", w2[64] = "", w3[128] = "";
	if (sscanf(line, "%31[A-Z](%*[^)]) %63s %63s %127s", what, w1, w2, w3) < 2)
		return false;
	if (strncmp(what, "DHCP", 4) != 0 && strcmp(what, "PXE") != 0)
		return false;
	bool ip_first = !is_mac(w1);
	const char *mac = ip_first ? (is_mac(w2) ? w2 : NULL) : w1;
	const char *file = strcmp(what, "PXE") == 0 && ip_first ? w3 : "";
	snprintf(t->client, sizeof t->client, "%s", ip_first ? w1 : "");
	snprintf(t->mac, sizeof t->mac, "%s", mac ? mac : "");
	snprintf(t->detail, sizeof t->detail, "%s%s%s", what, *file ? " " : "", file);
	ev->event = "dhcp";
	ev->client = t->client[0] ? t->client : NULL;
	ev->mac = t->mac[0] ? t->mac : NULL;
	ev->detail = t->detail;
	return true;
}

/* "sent PATH to IP" or "file PATH not found for IP": the file's name below
 * the TFTP root is the part after the first "/tftp/" (the run folder's
 * tftp/, see runroot.h). */
static bool tftp_event(const char *line, struct status_event *ev, struct dnsmasq_event_text *t)
{
	char path[512];
	const char *verb;
	if (sscanf(line, "sent %511s to %63s", path, t->client) == 2)
		verb = "sent";
	else if (sscanf(line, "file %511s not found for %63s", path, t->client) == 2)
		verb = "not found";
	else
		return false;
	const char *name = strstr(path, "/tftp/");
	name = name ? name + 6 : path;
	snprintf(t->detail, sizeof t->detail, "%s %s", verb, name);
	ev->event = "tftp";
	ev->client = t->client;
	ev->mac = NULL;
	ev->detail = t->detail;
	return true;
}

bool dnsmasq_log_event(const char *line, struct status_event *ev, struct dnsmasq_event_text *text)
{
	const char *rest;
	if ((rest = after_tag(line, "dnsmasq-dhcp")))
		return dhcp_event(rest, ev, text);
	if ((rest = after_tag(line, "dnsmasq-tftp")))
		return tftp_event(rest, ev, text);
	return false;
}
