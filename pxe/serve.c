/* The serving loop: checks everything first (interface, range, tree,
 * files, ports), lays out the run folder, starts the HTTP server, dnsmasq
 * and udp-sender, prints what clients do, and stops them all cleanly on
 * SIGINT/SIGTERM/SIGHUP (or fails when dnsmasq dies). */
#include "serve.h"

#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "child.h"
#include "dnsmasq.h"
#include "http.h"
#include "lifeboat/error.h"
#include "menus.h"
#include "multicast.h"
#include "netif.h"
#include "preflight.h"
#include "runroot.h"
#include "status.h"

#define STOP_GRACE_MS 3000

struct serve_state {
	const struct serve_config *cfg;
	struct netif nif;
	char range_first[INET_ADDRSTRLEN], range_last[INET_ADDRSTRLEN];
	struct runroot run;
	struct child dnsmasq, sender;
	bool ready;               /* dnsmasq finished starting */
	char last_line[512];      /* dnsmasq's last line that was not an event */
};

static bool in_path(const char *prog)
{
	const char *path = getenv("PATH");
	char candidate[4096];
	for (const char *p = path ? path : "/usr/sbin:/usr/bin:/sbin:/bin"; *p;) {
		size_t n = strcspn(p, ":");
		snprintf(candidate, sizeof candidate, "%.*s/%s", (int)n, p, prog);
		if (access(candidate, X_OK) == 0)
			return true;
		p += n + (p[n] == ':');
	}
	return false;
}

/* Everything that can be refused is refused here, before anything starts. */
static int check_all(struct serve_state *s)
{
	const struct serve_config *cfg = s->cfg;
	struct stat st;
	int rc = netif_lookup(cfg->interface, &s->nif);
	if (!rc && cfg->range)
		rc = netif_range_check(&s->nif, cfg->range, s->range_first, s->range_last);
	if (!rc)
		rc = preflight_tree(cfg->tree);
	if (!rc && cfg->images && (stat(cfg->images, &st) != 0 || !S_ISDIR(st.st_mode)))
		rc = lb_fail(LB_E_NOTFOUND, "--images %s: no such folder", cfg->images);
	if (!rc && cfg->job)
		rc = preflight_file("--job", cfg->job);
	if (!rc && cfg->multicast)
		rc = preflight_file("--multicast", cfg->multicast);
	if (!rc && cfg->multicast && !s->nif.has_broadcast)
		rc = lb_fail(LB_E_INVALID, "interface %s has no broadcast address, which udpcast needs to find its receivers "
			     "(ip addr add %s/%d brd + dev %s)", s->nif.name, s->nif.addr_text, s->nif.prefix, s->nif.name);
	if (!rc && !in_path("dnsmasq"))
		rc = lb_fail(LB_E_NOTFOUND, "dnsmasq is not installed (Debian package dnsmasq-base)");
	if (!rc && cfg->multicast && !in_path("udp-sender"))
		rc = lb_fail(LB_E_NOTFOUND, "udp-sender is not installed (Debian package udpcast)");
	if (!rc)
		rc = preflight_ports(&s->nif, cfg->proxy);
	return rc;
}

static int prepare_run(struct serve_state *s)
{
	const struct serve_config *cfg = s->cfg;
	struct menu_setup menus = {
		.server = s->nif.addr_text, .http_port = cfg->http_port, .job = cfg->job != NULL, .timeout = cfg->timeout,
	};
	int rc = runroot_create(&s->run, cfg->tree, &menus);
	if (rc)
		return rc;
	struct dnsmasq_setup setup = {
		.nif = &s->nif, .range_first = cfg->range ? s->range_first : NULL, .range_last = s->range_last,
		.tftp_root = s->run.tftp, .lease_file = s->run.leases,
	};
	struct lb_strbuf conf;
	lb_strbuf_init(&conf);
	dnsmasq_conf(&conf, &setup);
	rc = runroot_write(s->run.conf, lb_strbuf_str(&conf));
	lb_strbuf_free(&conf);
	return rc;
}

static void on_dnsmasq_line(const char *line, void *ctx)
{
	struct serve_state *s = ctx;
	struct status_event ev;
	struct dnsmasq_event_text text;
	if (dnsmasq_log_event(line, &ev, &text)) {
		status_emit(&ev);
		return;
	}
	snprintf(s->last_line, sizeof s->last_line, "%s", line);
	if (!s->ready && strstr(line, "TFTP root is")) {
		s->ready = true;
		const struct serve_config *cfg = s->cfg;
		if (cfg->range)
			status_server("ready on %s (%s/%d): DHCP %s-%s, TFTP, HTTP port %d%s", s->nif.name, s->nif.addr_text,
				      s->nif.prefix, s->range_first, s->range_last, cfg->http_port, cfg->job ? ", job at /job" : "");
		else
			status_server("ready on %s (%s/%d): proxyDHCP beside the network's DHCP server, TFTP, HTTP port %d%s",
				      s->nif.name, s->nif.addr_text, s->nif.prefix, cfg->http_port, cfg->job ? ", job at /job" : "");
	}
}

static void on_sender_line(const char *line, void *ctx)
{
	(void)ctx;
	struct status_event ev;
	char client[64];
	if (multicast_log_event(line, &ev, client))
		status_emit(&ev);
}

static int start_children(struct serve_state *s)
{
	const struct serve_config *cfg = s->cfg;
	char conf_arg[4200];
	snprintf(conf_arg, sizeof conf_arg, "--conf-file=%s", s->run.conf);
	const char *dnsmasq_argv[] = { "dnsmasq", "--keep-in-foreground", "--log-facility=-", "--pid-file=", conf_arg, NULL };
	int rc = child_start(&s->dnsmasq, "dnsmasq", dnsmasq_argv);
	if (!rc && cfg->multicast) {
		struct multicast_setup m = {
			.image = cfg->multicast, .interface = s->nif.name, .clients = cfg->clients, .wait_s = cfg->wait_s,
		};
		const char *argv[MULTICAST_MAX_ARGS];
		char nums[2][16];
		multicast_argv(&m, argv, nums);
		rc = child_start(&s->sender, "udp-sender", argv);
		if (!rc)
			status_server("multicast: %s to %d receivers%s", cfg->multicast, cfg->clients,
				      cfg->wait_s ? " (or fewer after --wait)" : "");
	}
	return rc;
}

/* Says how udp-sender ended, once. */
static void sender_ended(struct serve_state *s)
{
	int st = s->sender.status;
	if (WIFEXITED(st) && WEXITSTATUS(st) == 0)
		status_server("multicast sender finished");
	else
		status_server("multicast sender failed (%s %d)", WIFEXITED(st) ? "exit status" : "signal",
			      WIFEXITED(st) ? WEXITSTATUS(st) : WTERMSIG(st));
}

/* Polls the signal fd and the children's output until a stop signal
 * (returns 0) or dnsmasq's end (returns an error). */
static int serve_loop(struct serve_state *s, int sig_fd)
{
	bool sender_running = s->sender.out_fd >= 0;
	for (;;) {
		struct pollfd fds[3] = {
			{ .fd = sig_fd, .events = POLLIN },
			{ .fd = s->dnsmasq.out_fd, .events = POLLIN },
			{ .fd = s->sender.out_fd, .events = POLLIN },
		};
		if (poll(fds, 3, -1) < 0)
			continue;
		if (fds[0].revents) {
			struct signalfd_siginfo si;
			if (read(sig_fd, &si, sizeof si) == sizeof si)
				status_server("stopping on %s", strsignal((int)si.ssi_signo));
			return 0;
		}
		if (fds[1].revents && child_read_lines(&s->dnsmasq, on_dnsmasq_line, s)) {
			child_stop(&s->dnsmasq, STOP_GRACE_MS);
			return lb_fail(LB_E_IO, "dnsmasq stopped: %s", s->last_line[0] ? s->last_line : "no message");
		}
		if (fds[2].revents && child_read_lines(&s->sender, on_sender_line, s) && sender_running) {
			child_stop(&s->sender, STOP_GRACE_MS);
			sender_ended(s);
			sender_running = false;
		}
	}
}

int serve_run(const struct serve_config *cfg)
{
	struct serve_state s = { .cfg = cfg, .dnsmasq.out_fd = -1, .sender.out_fd = -1 };
	status_set_json(cfg->json);
	int rc = check_all(&s);
	if (rc)
		return rc;
	sigset_t stop;
	sigemptyset(&stop);
	sigaddset(&stop, SIGINT);
	sigaddset(&stop, SIGTERM);
	sigaddset(&stop, SIGHUP);
	sigprocmask(SIG_BLOCK, &stop, NULL);
	signal(SIGPIPE, SIG_IGN);
	int sig_fd = signalfd(-1, &stop, SFD_CLOEXEC);
	if (sig_fd < 0)
		return lb_fail_errno(LB_E_IO, "cannot watch for signals");
	struct http_roots roots = { .tree = NULL, .images = cfg->images, .job = cfg->job };
	rc = prepare_run(&s);
	if (!rc) {
		roots.tree = s.run.tftp;
		rc = http_server_start(s.nif.addr_text, cfg->http_port, &roots);
	}
	if (!rc)
		rc = start_children(&s);
	if (!rc)
		rc = serve_loop(&s, sig_fd);
	child_stop(&s.sender, STOP_GRACE_MS);
	child_stop(&s.dnsmasq, STOP_GRACE_MS);
	runroot_remove(&s.run);
	close(sig_fd);
	if (!rc)
		status_server("stopped");
	return rc;
}
