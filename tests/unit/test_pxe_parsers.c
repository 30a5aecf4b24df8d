/* Unit tests for lifeboat-pxe's parsers and checks: HTTP Range values,
 * request targets mapped to files, dnsmasq and udp-sender log lines turned
 * into status events, DHCP ranges against the interface's subnet, and the
 * udp-sender command line. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include "dnsmasq.h"
#include "http.h"
#include "lifeboat/error.h"
#include "multicast.h"
#include "netif.h"

static void range_ok(const char *value, uint64_t size, uint64_t first, uint64_t last)
{
	uint64_t a = 99, b = 99;
	assert_int_equal(http_range_parse(value, size, &a, &b), HTTP_RANGE_OK);
	assert_int_equal(a, first);
	assert_int_equal(b, last);
}

static void test_range(void **state)
{
	(void)state;
	uint64_t a, b;
	range_ok(" bytes=0-99", 1000, 0, 99);
	range_ok("bytes=100-", 1000, 100, 999);
	range_ok("bytes=-10", 1000, 990, 999);
	range_ok("bytes=-5000", 1000, 0, 999);           /* suffix longer than the file */
	range_ok("bytes=990-5000", 1000, 990, 999);      /* last clipped to the end */
	range_ok("BYTES=1-1", 1000, 1, 1);
	assert_int_equal(http_range_parse("bytes=1000-", 1000, &a, &b), HTTP_RANGE_UNSATISFIABLE);
	assert_int_equal(http_range_parse("bytes=-0", 1000, &a, &b), HTTP_RANGE_UNSATISFIABLE);
	assert_int_equal(http_range_parse("bytes=0-", 0, &a, &b), HTTP_RANGE_UNSATISFIABLE);
	/* malformed or several ranges: ignored, the whole file is sent */
	assert_int_equal(http_range_parse("bytes=5-1", 1000, &a, &b), HTTP_RANGE_NONE);
	assert_int_equal(http_range_parse("bytes=0-1,5-6", 1000, &a, &b), HTTP_RANGE_NONE);
	assert_int_equal(http_range_parse("bytes=-", 1000, &a, &b), HTTP_RANGE_NONE);
	assert_int_equal(http_range_parse("items=0-1", 1000, &a, &b), HTTP_RANGE_NONE);
	assert_int_equal(http_range_parse("bytes=1x-2", 1000, &a, &b), HTTP_RANGE_NONE);
	assert_int_equal(http_range_parse("bytes=99999999999999999999-", 1000, &a, &b), HTTP_RANGE_NONE);
}

static void resolves(const struct http_roots *roots, const char *target, const char *want)
{
	char *got = http_resolve(roots, target);
	if (want) {
		assert_non_null(got);
		assert_string_equal(got, want);
	} else {
		assert_null(got);
	}
	free(got);
}

static void test_resolve(void **state)
{
	(void)state;
	struct http_roots roots = { .tree = "/t", .images = "/img", .job = "/j/fleet.job" };
	resolves(&roots, "/live/initrd", "/t/live/initrd");
	resolves(&roots, "/job", "/j/fleet.job");
	resolves(&roots, "/images/office.lbi", "/img/office.lbi");
	resolves(&roots, "/../etc/passwd", NULL);
	resolves(&roots, "/live/../../etc/passwd", NULL);
	resolves(&roots, "/images/../x", NULL);
	resolves(&roots, "/.hidden", NULL);
	resolves(&roots, "/live//initrd", NULL);
	resolves(&roots, "/live/%2e%2e", NULL);
	resolves(&roots, "/", NULL);
	resolves(&roots, "live/initrd", NULL);
	struct http_roots bare = { .tree = "/t" };
	resolves(&bare, "/job", NULL);
	resolves(&bare, "/images/office.lbi", NULL);
}

static void event_is(const char *line, const char *event, const char *client, const char *mac, const char *detail)
{
	struct status_event ev;
	struct dnsmasq_event_text text;
	assert_true(dnsmasq_log_event(line, &ev, &text));
	assert_string_equal(ev.event, event);
	if (client)
		assert_string_equal(ev.client, client);
	else
		assert_null(ev.client);
	if (mac)
		assert_string_equal(ev.mac, mac);
	else
		assert_null(ev.mac);
	assert_string_equal(ev.detail, detail);
}

static void test_dnsmasq_log(void **state)
{
	(void)state;
	event_is("dnsmasq-dhcp[12]: DHCPACK(eth1) 10.0.0.129 52:54:00:12:34:56 pc01", "dhcp", "10.0.0.129",
		 "52:54:00:12:34:56", "DHCPACK");
	event_is("dnsmasq-dhcp[12]: DHCPDISCOVER(eth1) 52:54:00:12:34:56 ", "dhcp", NULL, "52:54:00:12:34:56",
		 "DHCPDISCOVER");
	event_is("dnsmasq-dhcp[12]: PXE(eth1) 10.0.0.7 52:54:00:12:34:56 pxelinux.0", "dhcp", "10.0.0.7",
		 "52:54:00:12:34:56", "PXE pxelinux.0");
	event_is("dnsmasq-tftp[12]: sent /tmp/lifeboat-pxe.Ab12/tftp/live/vmlinuz to 10.0.0.7", "tftp", "10.0.0.7", NULL,
		 "sent live/vmlinuz");
	event_is("dnsmasq-tftp[12]: file /tmp/lifeboat-pxe.Ab12/tftp/revocations.efi not found for 10.0.0.7", "tftp",
		 "10.0.0.7", NULL, "not found revocations.efi");
	struct status_event ev;
	struct dnsmasq_event_text text;
	assert_false(dnsmasq_log_event("dnsmasq[12]: started, version 2.90 DNS disabled", &ev, &text));
	assert_false(dnsmasq_log_event("dnsmasq-dhcp[12]: DHCP, IP range 10.0.0.100 -- 10.0.0.150, lease time 1h", &ev, &text));
	assert_false(dnsmasq_log_event("dnsmasq-tftp[12]: TFTP root is /tmp/x/tftp", &ev, &text));
	assert_false(dnsmasq_log_event("dnsmasq-dhcpx: DHCPACK(eth1) 10.0.0.1 52:54:00:12:34:56", &ev, &text));
}

static void test_multicast_log(void **state)
{
	(void)state;
	struct status_event ev;
	char client[64];
	assert_true(multicast_log_event("New connection from 10.77.0.129  (#0) 00000009", &ev, client));
	assert_string_equal(ev.client, "10.77.0.129");
	assert_string_equal(ev.detail, "joined");
	assert_true(multicast_log_event("Disconnecting #0 (10.77.0.129)", &ev, client));
	assert_string_equal(ev.client, "10.77.0.129");
	assert_string_equal(ev.detail, "finished");
	assert_true(multicast_log_event("Transfer complete.", &ev, client));
	assert_null(ev.client);
	assert_false(multicast_log_event("bytes=  5 000 000  re-xmits=0001285 ( 37.4%)", &ev, client));

	const char *argv[MULTICAST_MAX_ARGS];
	char nums[2][16];
	multicast_argv(&(struct multicast_setup){ .image = "o.lbi", .interface = "eth1", .clients = 50, .wait_s = 300 },
		       argv, nums);
	const char *want[] = { "udp-sender", "--nokbd", "--file", "o.lbi", "--interface", "eth1",
			       "--min-receivers", "50", "--max-wait", "300", NULL };
	for (size_t i = 0; i < sizeof want / sizeof *want; i++) {
		if (want[i])
			assert_string_equal(argv[i], want[i]);
		else
			assert_null(argv[i]);
	}
	multicast_argv(&(struct multicast_setup){ .image = "o.lbi", .interface = "eth1", .clients = 3 }, argv, nums);
	assert_null(argv[8]);   /* no --max-wait without --wait */
}

static void test_range_check(void **state)
{
	(void)state;
	struct netif nif = { .name = "eth1", .prefix = 24 };
	inet_pton(AF_INET, "10.0.0.1", &nif.addr);
	inet_pton(AF_INET, "255.255.255.0", &nif.mask);
	strcpy(nif.net_text, "10.0.0.0");
	char first[INET_ADDRSTRLEN], last[INET_ADDRSTRLEN];
	assert_int_equal(netif_range_check(&nif, "10.0.0.100,10.0.0.199", first, last), 0);
	assert_string_equal(first, "10.0.0.100");
	assert_string_equal(last, "10.0.0.199");
	assert_int_equal(netif_range_check(&nif, "10.0.1.100,10.0.1.199", first, last), LB_E_INVALID);
	assert_non_null(strstr(lb_error_message(), "10.0.1.100 is outside the subnet 10.0.0.0/24 of eth1"));
	assert_int_equal(netif_range_check(&nif, "10.0.0.0,10.0.0.9", first, last), LB_E_INVALID);
	assert_int_equal(netif_range_check(&nif, "10.0.0.9,10.0.0.255", first, last), LB_E_INVALID);
	assert_int_equal(netif_range_check(&nif, "10.0.0.9,10.0.0.8", first, last), LB_E_INVALID);
	assert_int_equal(netif_range_check(&nif, "10.0.0.9", first, last), LB_E_USAGE);
	assert_int_equal(netif_range_check(&nif, "10.0.0.9,ten", first, last), LB_E_USAGE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_range),
		cmocka_unit_test(test_resolve),
		cmocka_unit_test(test_dnsmasq_log),
		cmocka_unit_test(test_multicast_log),
		cmocka_unit_test(test_range_check),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
