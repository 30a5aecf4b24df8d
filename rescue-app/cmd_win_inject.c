/* `lifeboat win inject TARGET PKG...`: injects Windows driver packages
 * (folders or .inf files) into an offline Windows; see lifeboat/drv_inject.h. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "commands.h"
#include "lifeboat/drv_inject.h"
#include "lifeboat/error.h"
#include "lifeboat/strbuf.h"

/* Runs an operation on an opened Windows and prints its report. */
int win_drivers_run(const char *target, int (*fn)(struct lb_win *win, void *ctx, struct lb_strbuf *report),
		    void *ctx)
{
	struct lb_win *win;
	if (lb_win_open(target, LB_WIN_WRITE, &win) < 0)
		return cli_fail_core();
	struct lb_strbuf report;
	lb_strbuf_init(&report);
	int rc = fn(win, ctx, &report);
	int close_rc = lb_win_close(win);
	fputs(lb_strbuf_str(&report), stdout);
	lb_strbuf_free(&report);
	if (rc < 0 || close_rc < 0)
		return cli_fail_core();
	cli_print_warnings();
	return CLI_OK;
}

struct inject_args {
	const char *const *packages;
	size_t n;
};

static int run_inject(struct lb_win *win, void *ctx, struct lb_strbuf *report)
{
	const struct inject_args *a = ctx;
	return lb_drv_inject(win, a->packages, a->n, report);
}

int cmd_win_inject(int argc, char **argv)
{
	for (int i = 1; i < argc; i++)
		if (argv[i][0] == '-')
			return cli_usage_error("win", "win inject: unknown option '%s'", argv[i]);
	if (argc < 3)
		return cli_usage_error("win", "win inject needs TARGET and at least one driver package");
	struct inject_args a = { (const char *const *)argv + 2, (size_t)argc - 2 };
	return win_drivers_run(argv[1], run_inject, &a);
}
