/* Finds the IPv4 address of the interface lifeboat-pxe serves on and checks
 * a DHCP range against its subnet. */
#include "netif.h"

#include <arpa/inet.h>
#include <ifaddrs.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "lifeboat/error.h"

int netif_lookup(const char *name, struct netif *out)
{
	memset(out, 0, sizeof *out);
	if (strlen(name) >= sizeof out->name || if_nametoindex(name) == 0)
		return lb_fail(LB_E_NOTFOUND, "interface %s: no such network interface", name);
	struct ifaddrs *list;
	if (getifaddrs(&list) != 0)
		return lb_fail_errno(LB_E_IO, "cannot list the network interfaces");
	int found = 0;
	for (struct ifaddrs *a = list; a && !found; a = a->ifa_next) {
		if (!a->ifa_addr || a->ifa_addr->sa_family != AF_INET || !a->ifa_netmask || strcmp(a->ifa_name, name) != 0)
			continue;
		out->addr = ((struct sockaddr_in *)a->ifa_addr)->sin_addr;
		out->mask = ((struct sockaddr_in *)a->ifa_netmask)->sin_addr;
		/* Without one, getifaddrs reports the address itself (or 0). */
		in_addr_t brd = a->ifa_broadaddr ? ((struct sockaddr_in *)a->ifa_broadaddr)->sin_addr.s_addr : 0;
		out->has_broadcast = (a->ifa_flags & IFF_BROADCAST) && brd != 0 && brd != out->addr.s_addr;
		found = 1;
	}
	freeifaddrs(list);
	if (!found)
		return lb_fail(LB_E_INVALID, "interface %s has no IPv4 address (give it one, e.g. ip addr add 10.0.0.1/24 dev %s)",
			       name, name);
	snprintf(out->name, sizeof out->name, "%s", name);
	struct in_addr net = { .s_addr = out->addr.s_addr & out->mask.s_addr };
	inet_ntop(AF_INET, &out->addr, out->addr_text, sizeof out->addr_text);
	inet_ntop(AF_INET, &out->mask, out->mask_text, sizeof out->mask_text);
	inet_ntop(AF_INET, &net, out->net_text, sizeof out->net_text);
	out->prefix = __builtin_popcount(out->mask.s_addr);
	return 0;
}

/* Checks one end of the range; returns its host-order value in *value. */
static int range_end(const struct netif *nif, const char *text, uint32_t *value)
{
	struct in_addr a;
	if (inet_pton(AF_INET, text, &a) != 1)
		return lb_fail(LB_E_USAGE, "--range: '%s' is not an IPv4 address", text);
	uint32_t mask = ntohl(nif->mask.s_addr), net = ntohl(nif->addr.s_addr) & mask, host = ntohl(a.s_addr);
	if ((host & mask) != net)
		return lb_fail(LB_E_INVALID, "--range: %s is outside the subnet %s/%d of %s", text, nif->net_text,
			       nif->prefix, nif->name);
	if (host == net || host == (net | ~mask))
		return lb_fail(LB_E_INVALID, "--range: %s is the network or broadcast address of %s/%d", text,
			       nif->net_text, nif->prefix);
	*value = host;
	return 0;
}

int netif_range_check(const struct netif *nif, const char *range, char first[INET_ADDRSTRLEN],
		      char last[INET_ADDRSTRLEN])
{
	const char *comma = strchr(range, ',');
	if (!comma || comma - range >= INET_ADDRSTRLEN || strlen(comma + 1) >= INET_ADDRSTRLEN)
		return lb_fail(LB_E_USAGE, "--range takes FIRST,LAST (two IPv4 addresses), not '%s'", range);
	snprintf(first, INET_ADDRSTRLEN, "%.*s", (int)(comma - range), range);
	snprintf(last, INET_ADDRSTRLEN, "%s", comma + 1);
	uint32_t a, b;
	int rc = range_end(nif, first, &a);
	if (!rc)
		rc = range_end(nif, last, &b);
	if (!rc && a > b)
		rc = lb_fail(LB_E_INVALID, "--range: %s comes after %s", first, last);
	return rc;
}
