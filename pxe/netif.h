/* The server's network interface: its IPv4 address and subnet, and the
 * checks a DHCP range must pass against them. */
#ifndef LIFEBOAT_PXE_NETIF_H
#define LIFEBOAT_PXE_NETIF_H

#include <net/if.h>
#include <netinet/in.h>

struct netif {
	char name[IF_NAMESIZE];
	struct in_addr addr;    /* the interface's (first) IPv4 address */
	struct in_addr mask;
	char addr_text[INET_ADDRSTRLEN];
	char mask_text[INET_ADDRSTRLEN];
	char net_text[INET_ADDRSTRLEN];   /* addr & mask */
	int prefix;
	int has_broadcast;  /* udpcast finds its peers through it */
};

/* Fails when the interface does not exist or has no IPv4 address. */
int netif_lookup(const char *name, struct netif *out);

/* Parses "A,B" into first/last and checks both lie in the interface's
 * subnet (neither its network nor its broadcast address) with A <= B. */
int netif_range_check(const struct netif *nif, const char *range, char first[INET_ADDRSTRLEN],
		      char last[INET_ADDRSTRLEN]);

#endif
