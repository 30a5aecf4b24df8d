/* Helpers of the image commands: size parsing, the progress display
 * (percent, MB/s and ETA on a terminal; JSON lines for the TUI and job
 * runner) and the SIGINT flag the core engine polls. */
#include "image_cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define PROGRESS_INTERVAL 0.5

volatile sig_atomic_t cli_interrupted;

uint64_t cli_parse_size(const char *text)
{
	char *end;
	unsigned long long v = strtoull(text, &end, 10);
	if (end == text || text[0] == '-')
		return 0;
	int shift = 0;
	switch (*end) {
	case 'K': case 'k': shift = 10; break;
	case 'M': case 'm': shift = 20; break;
	case 'G': case 'g': shift = 30; break;
	case 'T': case 't': shift = 40; break;
	case '\0': break;
	default: return 0;
	}
	if (*end && end[1] != '\0' && strcmp(end + 1, "iB") != 0 && strcmp(end + 1, "B") != 0)
		return 0;
	if (v > (UINT64_MAX >> shift))
		return 0;
	return (uint64_t)v << shift;
}

int cli_parse_progress(const char *text)
{
	if (strcmp(text, "json") == 0)
		return PROGRESS_JSON;
	if (strcmp(text, "none") == 0)
		return PROGRESS_NONE;
	if (strcmp(text, "auto") == 0)
		return PROGRESS_AUTO;
	return -1;
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void cli_progress_init(struct progress_state *p, enum progress_mode mode)
{
	memset(p, 0, sizeof *p);
	p->mode = mode;
	if (mode == PROGRESS_AUTO && !isatty(STDERR_FILENO))
		p->mode = PROGRESS_NONE;
	p->start = p->last = now();
}

void cli_progress(const struct lb_progress *pr, void *ctx)
{
	struct progress_state *p = ctx;
	double t = now();
	bool final = pr->done >= pr->total;
	if (p->mode == PROGRESS_NONE || (!final && t - p->last < PROGRESS_INTERVAL))
		return;
	p->last = t;
	double elapsed = t - p->start > 1e-6 ? t - p->start : 1e-6;
	double rate = (double)pr->done / elapsed;
	double percent = pr->total ? 100.0 * (double)pr->done / (double)pr->total : 100.0;
	double eta = rate > 0 && pr->total > pr->done ? (double)(pr->total - pr->done) / rate : 0;
	if (p->mode == PROGRESS_JSON) {
		fprintf(stderr,
			"{\"stage\": \"%s\", \"done\": %llu, \"total\": %llu, \"percent\": %.1f, \"mb_per_s\": %.1f, "
			"\"eta_s\": %.0f}\n",
			pr->stage, (unsigned long long)pr->done, (unsigned long long)pr->total, percent, rate / 1e6, eta);
	} else {
		fprintf(stderr, "\r%s %5.1f%%  %7.1f MB/s  ETA %d:%02d ", pr->stage, percent, rate / 1e6,
			(int)eta / 60, (int)eta % 60);
		p->shown = true;
	}
	fflush(stderr);
}

void cli_progress_done(struct progress_state *p)
{
	if (p->shown)
		fputc('\n', stderr);
	p->shown = false;
}

void cli_format_bytes(uint64_t n, char *out, unsigned len)
{
	static const char *units[] = { "bytes", "KiB", "MiB", "GiB", "TiB" };
	double v = (double)n;
	int u = 0;
	while (v >= 1024 && u < 4) {
		v /= 1024;
		u++;
	}
	if (u == 0)
		snprintf(out, len, "%llu bytes", (unsigned long long)n);
	else
		snprintf(out, len, "%.1f %s", v, units[u]);
}

static void on_interrupt(int sig)
{
	(void)sig;
	cli_interrupted = 1;
}

void cli_catch_interrupt(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_interrupt;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}
