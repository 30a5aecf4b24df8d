/* lifeboat-pxe: network boot for fleet rollouts. Parses the command line
 * of `serve` and turns a failure into one "lifeboat-pxe: ..." line. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lifeboat/error.h"
#include "lifeboat/version.h"
#include "serve.h"

static const char usage_text[] =
	"Usage: lifeboat-pxe serve --interface IF --tree DIR (--proxy | --range FIRST,LAST)\n"
	"         [--images DIR] [--job FILE] [--multicast IMAGE --clients N [--wait S]]\n"
	"         [--http-port N] [--timeout S] [--json]\n"
	"\n"
	"Network-boots PCs into the Lifeboat rescue system from a tree made by\n"
	"`lifeboat-build pxe -o DIR`: dnsmasq answers DHCP (its own range, or\n"
	"proxyDHCP beside the network's DHCP server) and TFTP (pxelinux for BIOS,\n"
	"shim and GRUB for UEFI, then the kernel and initramfs), an HTTP server\n"
	"sends /images/NAME and /job, and udp-sender multicasts one image to N clients.\n"
	"With --job the boot menu runs lifeboat.job=http://SERVER/job unattended.\n"
	"Status lines on stdout (--json: one object a line); Ctrl-C stops.\n";

static int usage_error(const char *fmt, const char *arg)
{
	fprintf(stderr, "lifeboat-pxe: ");
	fprintf(stderr, fmt, arg);
	fprintf(stderr, " (try 'lifeboat-pxe --help')\n");
	return 2;
}

/* A whole number in [min, max], or -1. */
static int number(const char *text, int min, int max)
{
	char *end;
	long v = strtol(text, &end, 10);
	return *text && !*end && v >= min && v <= max ? (int)v : -1;
}

enum { OPT_INTERFACE = 256, OPT_TREE, OPT_IMAGES, OPT_JOB, OPT_RANGE, OPT_PROXY, OPT_MULTICAST, OPT_CLIENTS,
       OPT_WAIT, OPT_HTTP_PORT, OPT_TIMEOUT, OPT_JSON };

static const struct option long_options[] = {
	{ "interface", required_argument, 0, OPT_INTERFACE },
	{ "tree", required_argument, 0, OPT_TREE },
	{ "images", required_argument, 0, OPT_IMAGES },
	{ "job", required_argument, 0, OPT_JOB },
	{ "range", required_argument, 0, OPT_RANGE },
	{ "proxy", no_argument, 0, OPT_PROXY },
	{ "multicast", required_argument, 0, OPT_MULTICAST },
	{ "clients", required_argument, 0, OPT_CLIENTS },
	{ "wait", required_argument, 0, OPT_WAIT },
	{ "http-port", required_argument, 0, OPT_HTTP_PORT },
	{ "timeout", required_argument, 0, OPT_TIMEOUT },
	{ "json", no_argument, 0, OPT_JSON },
	{ "help", no_argument, 0, 'h' },
	{ 0, 0, 0, 0 },
};

/* Applies one option; 0, or 2 after a usage error. */
static int apply_option(struct serve_config *cfg, int c, const char *arg)
{
	switch (c) {
	case OPT_INTERFACE: cfg->interface = arg; break;
	case OPT_TREE: cfg->tree = arg; break;
	case OPT_IMAGES: cfg->images = arg; break;
	case OPT_JOB: cfg->job = arg; break;
	case OPT_RANGE: cfg->range = arg; break;
	case OPT_PROXY: cfg->proxy = true; break;
	case OPT_MULTICAST: cfg->multicast = arg; break;
	case OPT_JSON: cfg->json = true; break;
	case OPT_CLIENTS:
		if ((cfg->clients = number(arg, 1, 10000)) < 0)
			return usage_error("--clients takes 1 to 10000, not '%s'", arg);
		break;
	case OPT_WAIT:
		if ((cfg->wait_s = number(arg, 1, 86400)) < 0)
			return usage_error("--wait takes 1 to 86400 seconds, not '%s'", arg);
		break;
	case OPT_HTTP_PORT:
		if ((cfg->http_port = number(arg, 1, 65535)) < 0)
			return usage_error("--http-port takes 1 to 65535, not '%s'", arg);
		break;
	case OPT_TIMEOUT:
		if ((cfg->timeout = number(arg, 1, 600)) < 0)
			return usage_error("--timeout takes 1 to 600 seconds, not '%s'", arg);
		break;
	default:
		return 2;
	}
	return 0;
}

/* The combinations the options must satisfy; 0 or 2. */
static int check_options(const struct serve_config *cfg)
{
	if (!cfg->interface)
		return usage_error("%s", "serve needs --interface IF");
	if (!cfg->tree)
		return usage_error("%s", "serve needs --tree DIR");
	if (cfg->proxy == (cfg->range != NULL))
		return usage_error("%s", "give --proxy (beside the network's DHCP server) or --range FIRST,LAST (own DHCP)");
	if (cfg->multicast && !cfg->clients)
		return usage_error("%s", "--multicast needs --clients N");
	if (!cfg->multicast && (cfg->clients || cfg->wait_s))
		return usage_error("%s", "--clients and --wait go with --multicast IMAGE");
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fputs(usage_text, stderr);
		return 2;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		fputs(usage_text, stdout);
		return 0;
	}
	if (strcmp(argv[1], "--version") == 0) {
		printf("lifeboat-pxe %s\n", lb_version());
		return 0;
	}
	if (strcmp(argv[1], "serve") != 0)
		return usage_error("no such command '%s'", argv[1]);
	struct serve_config cfg = { .http_port = 80, .timeout = 5 };
	int c, ac = argc - 1;
	char **av = argv + 1;
	opterr = 0;
	while ((c = getopt_long(ac, av, "+h", long_options, NULL)) != -1) {
		if (c == 'h') {
			fputs(usage_text, stdout);
			return 0;
		}
		if (c == '?')
			return usage_error("unknown or incomplete option '%s'", av[optind - 1]);
		if (apply_option(&cfg, c, optarg) != 0)
			return 2;
	}
	if (optind < ac)
		return usage_error("unexpected argument '%s'", av[optind]);
	if (check_options(&cfg) != 0)
		return 2;
	int rc = serve_run(&cfg);
	if (rc < 0)
		fprintf(stderr, "lifeboat-pxe: %s\n", lb_error_message());
	return rc == 0 ? 0 : rc == LB_E_USAGE ? 2 : 1;
}
