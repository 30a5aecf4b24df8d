/* `lifeboat win`: offline Windows on a partition, image or directory —
 * info, rename, newsid, hal, setup, undo. A thin layer over
 * lifeboat/winoffline.h. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "commands.h"
#include "lifeboat/error.h"
#include "lifeboat/json.h"
#include "lifeboat/strbuf.h"
#include "lifeboat/winoffline.h"

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

static int open_win(const char *target, int flags, struct lb_win **win)
{
	if (lb_win_open(target, flags, win) < 0)
		return cli_fail_core();
	return 0;
}

static int finish(struct lb_win *win, int rc)
{
	int close_rc = lb_win_close(win);
	if (rc < 0 || close_rc < 0)
		return cli_fail_core();
	cli_print_warnings();
	return CLI_OK;
}

/* Text form of the JSON description: one "key: value" line per field. */
static void print_text(const char *json)
{
	for (const char *p = json; *p;) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		const char *s = p;
		while (s < p + n && (*s == ' ' || *s == '{' || *s == '}' || *s == '[' || *s == ']'))
			s++;
		size_t m = (size_t)(p + n - s);
		while (m > 0 && (s[m - 1] == ',' || s[m - 1] == '{' || s[m - 1] == '['))
			m--;
		if (m > 0) {
			for (size_t i = 0; i < m; i++)
				if (s[i] != '"')
					putchar(s[i]);
			putchar('\n');
		}
		p += n + (nl != NULL);
	}
}

static int win_info(int argc, char **argv)
{
	struct win_args a;
	int rc = parse_args(argc, argv, &a);
	if (rc || (rc = need_args(argc, &a, 1, "info", "TARGET")))
		return rc;
	struct lb_win *win;
	if ((rc = open_win(argv[a.first], LB_WIN_READ, &win)))
		return rc;
	struct lb_strbuf sb;
	struct lb_json j;
	lb_strbuf_init(&sb);
	lb_json_init(&j, &sb);
	rc = lb_win_describe(win, &j);
	if (rc == 0) {
		if (a.json)
			printf("%s\n", lb_strbuf_str(&sb));
		else
			print_text(lb_strbuf_str(&sb));
	}
	lb_strbuf_free(&sb);
	return finish(win, rc);
}

static int win_rename(int argc, char **argv)
{
	struct win_args a;
	int rc = parse_args(argc, argv, &a);
	if (rc || (rc = need_args(argc, &a, 2, "rename", "TARGET NAME")))
		return rc;
	if (lb_win_check_computer_name(argv[a.first + 1]) < 0)
		return cli_fail_core();
	struct lb_win *win;
	if ((rc = open_win(argv[a.first], LB_WIN_WRITE, &win)))
		return rc;
	rc = lb_win_rename(win, argv[a.first + 1], a.force);
	if (rc == 0)
		printf("computer name set to %s\n", argv[a.first + 1]);
	return finish(win, rc);
}

/* Opening for writing rolls back interrupted commits; nothing else changes. */
static int win_recover(int argc, char **argv)
{
	struct win_args a;
	int rc = parse_args(argc, argv, &a);
	if (rc || (rc = need_args(argc, &a, 1, "recover", "TARGET")))
		return rc;
	struct lb_win *win;
	if ((rc = open_win(argv[a.first], LB_WIN_WRITE, &win)))
		return rc;
	return finish(win, 0);
}

static int win_undo(int argc, char **argv)
{
	struct win_args a;
	int rc = parse_args(argc, argv, &a);
	if (rc || (rc = need_args(argc, &a, 1, "undo", "TARGET")))
		return rc;
	struct lb_win *win;
	if ((rc = open_win(argv[a.first], LB_WIN_WRITE, &win)))
		return rc;
	char *what = NULL;
	rc = lb_win_undo(win, &what);
	if (rc == 0)
		printf("undone: %s\n", what);
	free(what);
	return finish(win, rc);
}

/* Reads a host file whole (the script to queue). */
static int read_host_file(const char *path, char **data, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return cli_fail("%s: %s", path, strerror(errno));
	struct lb_strbuf sb;
	char buf[4096];
	size_t n;
	lb_strbuf_init(&sb);
	while ((n = fread(buf, 1, sizeof buf, f)) > 0)
		lb_strbuf_append(&sb, buf, n);
	bool failed = ferror(f) || sb.failed;
	fclose(f);
	if (failed) {
		lb_strbuf_free(&sb);
		return cli_fail("%s: cannot read", path);
	}
	*data = sb.data;
	*len = sb.len;
	return 0;
}

/* The script's base name without extension, as the queued script's name. */
static void script_name(const char *path, char *out, size_t outlen)
{
	const char *base = strrchr(path, '/');
	snprintf(out, outlen, "%s", base ? base + 1 : path);
	char *dot = strrchr(out, '.');
	if (dot && dot != out)
		*dot = '\0';
}

static int win_setup(int argc, char **argv)
{
	struct win_args a;
	int rc = parse_args(argc, argv, &a);
	if (rc || (rc = need_args(argc, &a, 1, "setup", "TARGET --run SCRIPT")))
		return rc;
	if (!a.run)
		return cli_usage_error("win", "win setup needs --run SCRIPT");
	char *script = NULL, name[128];
	size_t len = 0;
	if ((rc = read_host_file(a.run, &script, &len)))
		return rc;
	script_name(a.run, name, sizeof name);
	struct lb_win *win;
	if ((rc = open_win(argv[a.first], LB_WIN_WRITE, &win))) {
		free(script);
		return rc;
	}
	struct lb_winop *op;
	rc = lb_win_begin(win, "setup: run a script at first boot", &op);
	if (rc == 0) {
		rc = lb_win_firstboot_add(win, op, name, script ? script : "", len);
		int end = lb_winop_end(op);
		rc = rc < 0 ? rc : end;
	}
	free(script);
	if (rc == 0)
		printf("%s will run once at the next boot of Windows\n", a.run);
	return finish(win, rc);
}

static const struct {
	const char *name;
	int (*run)(int argc, char **argv);
} subcommands[] = {
	{ "info", win_info },
	{ "rename", win_rename },
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
