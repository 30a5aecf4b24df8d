/* Error and warning output of the lifeboat command line. */
#include "cli.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "lifeboat/error.h"

const struct cli_command *cli_find_command(const char *name)
{
	for (const struct cli_command *c = cli_commands; c->name; c++)
		if (strcmp(c->name, name) == 0)
			return c;
	return NULL;
}

int cli_fail(const char *fmt, ...)
{
	va_list ap;
	fputs("lifeboat: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return CLI_FAILED;
}

void cli_print_warnings(void)
{
	char **warnings;
	int n = lb_warnings_take(&warnings);
	for (int i = 0; i < n; i++)
		fprintf(stderr, "lifeboat: warning: %s\n", warnings[i]);
	if (n > 0)
		lb_warnings_free(warnings, n);
}

int cli_fail_core(void)
{
	cli_print_warnings();
	return cli_fail("%s", lb_error_message());
}

int cli_usage_error(const char *command, const char *fmt, ...)
{
	va_list ap;
	fputs("lifeboat: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, " (try 'lifeboat help %s')\n", command);
	return CLI_USAGE;
}
