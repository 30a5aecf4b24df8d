/* Shared pieces of the lifeboat command line: the subcommand table, exit
 * codes, and the one way errors reach the user ("lifeboat: ..."). */
#ifndef LIFEBOAT_CLI_H
#define LIFEBOAT_CLI_H

enum cli_exit {
	CLI_OK = 0,
	CLI_FAILED = 1,
	CLI_USAGE = 2,
};

struct cli_command {
	const char *name;
	const char *summary;  /* one line for `lifeboat --help` */
	const char *usage;    /* full text for `lifeboat help NAME` */
	int (*run)(int argc, char **argv);  /* argv[0] is the subcommand name */
};

/* The table, terminated by an entry with name == NULL (commands.c). */
extern const struct cli_command cli_commands[];

const struct cli_command *cli_find_command(const char *name);

/* Prints "lifeboat: MESSAGE" to stderr and returns CLI_FAILED. */
int cli_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Prints the core library's last error message and pending warnings. */
int cli_fail_core(void);
/* Prints pending core warnings as "lifeboat: warning: ...". */
void cli_print_warnings(void);
/* Prints "lifeboat: MESSAGE" and a hint to the command's help; returns CLI_USAGE. */
int cli_usage_error(const char *command, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
