/* `lifeboat win`: offline Windows on a partition, image or directory —
 * info, rename, newsid, hal, setup, undo. A thin layer over
 * lifeboat/winoffline.h. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "commands.h"
#include "lifeboat/error.h"
#include "lifeboat/strbuf.h"
#include "win_ops.h"

/* Options shared by the subcommands. */
struct win_args {
	bool json, force;
	const char *sid, *run;
	int first;  /* index of the first positional argument */
};

static int parse_args(int argc, char **argv, struct win_args *a)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "force", no_argument, NULL, 'f' },
		{ "sid", required_argument, NULL, 's' },
		{ "run", required_argument, NULL, 'r' },
		{ 0 },
	};
	memset(a, 0, sizeof *a);
	optind = 1;
	opterr = 0;
	for (int c; (c = getopt_long(argc, argv, "", opts, NULL)) != -1;) {
		switch (c) {
		case 'j': a->json = true; break;
		case 'f': a->force = true; break;
		case 's': a->sid = optarg; break;
		case 'r': a->run = optarg; break;
		default: return cli_usage_error("win", "win %s: unknown or incomplete option '%s'", argv[0], argv[optind - 1]);
		}
	}
	a->first = optind;
	return 0;
}

static int need_args(int argc, const struct win_args *a, int n, const char *sub, const char *what)
{
	if (argc - a->first != n)
		return cli_usage_error("win", "win %s needs %s", sub, what);
	return 0;
}

int win_print_result(int rc, struct lb_strbuf *out)
{
	fputs(lb_strbuf_str(out), stdout);
	lb_strbuf_free(out);
	if (rc < 0)
		return cli_fail_core();
	cli_print_warnings();
	return CLI_OK;
}

/* A subcommand that takes TARGET and nothing else. */
static int target_only(int argc, char **argv, int (*op)(const char *target, struct lb_strbuf *out))
{
	struct win_args a;
	int rc = parse_args(argc, argv, &a);
	if (rc || (rc = need_args(argc, &a, 1, argv[0], "TARGET")))
		return rc;
	struct lb_strbuf out;
	lb_strbuf_init(&out);
	return win_print_result(op(argv[a.first], &out), &out);
}

static int win_info(int argc, char **argv)
{
	struct win_args a;
	int rc = parse_args(argc, argv, &a);
	if (rc || (rc = need_args(argc, &a, 1, "info", "TARGET")))
		return rc;
	struct lb_strbuf sb;
	lb_strbuf_init(&sb);
	rc = win_op_info(argv[a.first], &sb);
	if (rc == 0) {
		if (a.json) {
			printf("%s\n", lb_strbuf_str(&sb));
		} else {
			struct lb_strbuf text;
			lb_strbuf_init(&text);
			win_info_text(lb_strbuf_str(&sb), &text);
			fputs(lb_strbuf_str(&text), stdout);
			lb_strbuf_free(&text);
		}
		lb_strbuf_free(&sb);
		cli_print_warnings();
		return CLI_OK;
	}
	lb_strbuf_free(&sb);
	return cli_fail_core();
}

static int win_rename(int argc, char **argv)
{
	struct win_args a;
	int rc = parse_args(argc, argv, &a);
	if (rc || (rc = need_args(argc, &a, 2, "rename", "TARGET NAME")))
		return rc;
	struct lb_strbuf out;
	lb_strbuf_init(&out);
	return win_print_result(win_op_rename(argv[a.first], argv[a.first + 1], a.force, &out), &out);
}

static int win_newsid(int argc, char **argv)
{
	struct win_args a;
	int rc = parse_args(argc, argv, &a);
	if (rc || (rc = need_args(argc, &a, 1, "newsid", "TARGET")))
		return rc;
	struct lb_strbuf out;
	lb_strbuf_init(&out);
	return win_print_result(win_op_newsid(argv[a.first], a.sid, a.force, &out), &out);
}

static int win_hal(int argc, char **argv)
{
	return target_only(argc, argv, win_op_hal);
}

static int win_recover(int argc, char **argv)
{
	return target_only(argc, argv, win_op_recover);
}

static int win_undo(int argc, char **argv)
{
	return target_only(argc, argv, win_op_undo);
}

static int win_setup(int argc, char **argv)
{
	struct win_args a;
	int rc = parse_args(argc, argv, &a);
	if (rc || (rc = need_args(argc, &a, 1, "setup", "TARGET --run SCRIPT")))
		return rc;
	if (!a.run)
		return cli_usage_error("win", "win setup needs --run SCRIPT");
	struct lb_strbuf out;
	lb_strbuf_init(&out);
	return win_print_result(win_op_setup(argv[a.first], a.run, &out), &out);
}

static const struct {
	const char *name;
	int (*run)(int argc, char **argv);
} subcommands[] = {
	{ "info", win_info },
	{ "inject", cmd_win_inject },
	{ "mir", cmd_win_mir },
	{ "rename", win_rename },
	{ "newsid", win_newsid },
	{ "hal", win_hal },
	{ "setup", win_setup },
	{ "recover", win_recover },
	{ "undo", win_undo },
};

int cmd_win(int argc, char **argv)
{
	if (argc < 2)
		return cli_usage_error("win", "win needs a subcommand");
	for (size_t i = 0; i < sizeof subcommands / sizeof *subcommands; i++)
		if (strcmp(argv[1], subcommands[i].name) == 0)
			return subcommands[i].run(argc - 1, argv + 1);
	return cli_usage_error("win", "win: unknown subcommand '%s'", argv[1]);
}
