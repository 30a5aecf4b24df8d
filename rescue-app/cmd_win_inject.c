/* `lifeboat win inject TARGET PKG...`: injects Windows driver packages
 * (folders or .inf files) into an offline Windows; see lifeboat/drv_inject.h. */
#include "cli.h"
#include "commands.h"
#include "lifeboat/strbuf.h"
#include "win_ops.h"

int cmd_win_inject(int argc, char **argv)
{
	for (int i = 1; i < argc; i++)
		if (argv[i][0] == '-')
			return cli_usage_error("win", "win inject: unknown option '%s'", argv[i]);
	if (argc < 3)
		return cli_usage_error("win", "win inject needs TARGET and at least one driver package");
	struct lb_strbuf out;
	lb_strbuf_init(&out);
	return win_print_result(win_op_inject(argv[1], (const char *const *)argv + 2, (size_t)argc - 2, &out), &out);
}
