/* `lifeboat win mir TARGET [--drivers DIR]... [--hardware FILE]`: adapts an
 * offline Windows to the hardware of this machine (sysfs) or of a hardware
 * list; see lifeboat/drv_inject.h. */
#include <string.h>

#include "cli.h"
#include "commands.h"
#include "lifeboat/strbuf.h"
#include "win_ops.h"

int cmd_win_mir(int argc, char **argv)
{
	const char *dirs[32], *hardware = NULL, *target = NULL;
	size_t ndirs = 0;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--drivers") == 0 && i + 1 < argc && ndirs < 32)
			dirs[ndirs++] = argv[++i];
		else if (strcmp(argv[i], "--hardware") == 0 && i + 1 < argc)
			hardware = argv[++i];
		else if (argv[i][0] == '-' || target)
			return cli_usage_error("win", "win mir: unexpected argument '%s'", argv[i]);
		else
			target = argv[i];
	}
	if (!target)
		return cli_usage_error("win", "win mir needs TARGET");
	struct lb_strbuf out;
	lb_strbuf_init(&out);
	return win_print_result(win_op_mir(target, dirs, ndirs, hardware, &out), &out);
}
