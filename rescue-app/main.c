/* lifeboat: entry point of the rescue app. Dispatches to a subcommand from
 * the table in commands.c and handles --help, --version and `help NAME`;
 * with no arguments on a terminal it starts the text UI. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "commands.h"
#include "lifeboat/version.h"

static void print_overview(FILE *out)
{
	fprintf(out, "Usage: lifeboat COMMAND [ARGS...]\n"
		     "       lifeboat help COMMAND | --help | --version\n\n"
		     "Offline PC rescue: restore and capture disk images, adapt an offline\n"
		     "Windows to new hardware, change its name and SID, load drivers.\n\n"
		     "Commands:\n");
	for (const struct cli_command *c = cli_commands; c->name; c++)
		fprintf(out, "  %-10s %s\n", c->name, c->summary);
}

int cmd_help(int argc, char **argv)
{
	if (argc < 2) {
		print_overview(stdout);
		return CLI_OK;
	}
	const struct cli_command *c = cli_find_command(argv[1]);
	if (!c) {
		fprintf(stderr, "lifeboat: no such command '%s' (try 'lifeboat --help')\n", argv[1]);
		return CLI_USAGE;
	}
	fputs(c->usage, stdout);
	return CLI_OK;
}

int main(int argc, char **argv)
{
	if (argc < 2 && isatty(STDIN_FILENO) && isatty(STDOUT_FILENO))
		return cmd_tui(argc, argv);
	if (argc < 2) {
		print_overview(stderr);
		return CLI_USAGE;
	}
	const char *name = argv[1];
	if (strcmp(name, "--help") == 0 || strcmp(name, "-h") == 0)
		return cmd_help(1, argv + 1);
	if (strcmp(name, "--version") == 0) {
		printf("lifeboat %s\n", lb_version());
		return CLI_OK;
	}
	const struct cli_command *c = cli_find_command(name);
	if (!c) {
		fprintf(stderr, "lifeboat: no such command '%s' (try 'lifeboat --help')\n", name);
		return CLI_USAGE;
	}
	for (int i = 2; i < argc; i++)
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
			return cmd_help(2, argv);
	return c->run(argc - 1, argv + 1);
}
