/* The table of lifeboat subcommands: name, one-line summary, usage text. */
#include "cli.h"
#include "commands.h"

const struct cli_command cli_commands[] = {
	{ "help", "show the help of a command",
	  "Usage: lifeboat help [COMMAND]\n\nShows the overview, or the full help of COMMAND.\n",
	  cmd_help },
	{ 0 },
};
