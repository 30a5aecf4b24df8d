/* lifeboat tui: the full-screen text UI (also what `lifeboat` with no
 * arguments starts on a terminal). */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app_env.h"
#include "cli.h"
#include "commands.h"
#include "tui.h"
#include "tui_screens.h"
#include "tui_system.h"

/* Image folders from --images and $LIFEBOAT_IMAGES (colon-separated). */
static int add_env_image_dirs(struct tui_system *sys, char **storage, int max)
{
	const char *env = getenv("LIFEBOAT_IMAGES");
	if (!env || !*env)
		return 0;
	char *copy = strdup(env);
	if (!copy)
		return 0;
	*storage = copy;
	for (char *dir = strtok(copy, ":"); dir && sys->image_dir_count < max; dir = strtok(NULL, ":"))
		sys->image_dirs[sys->image_dir_count++] = dir;
	return 0;
}

int cmd_tui(int argc, char **argv)
{
	enum { MAX_DIRS = 16 };
	char *dirs[MAX_DIRS];
	char *env_copy = NULL;
	struct tui_system sys;
	memset(&sys, 0, sizeof sys);
	sys.image_dirs = dirs;
	sys.image_dir_capacity = MAX_DIRS;
	const char *logs = NULL;
	int first_disk = argc;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--images") == 0 && i + 1 < argc) {
			if (sys.image_dir_count == MAX_DIRS)
				return cli_usage_error("tui", "tui: at most %d image folders", MAX_DIRS);
			dirs[sys.image_dir_count++] = argv[++i];
		} else if (strcmp(argv[i], "--logs") == 0 && i + 1 < argc) {
			logs = argv[++i];
		} else if (strcmp(argv[i], "--modules") == 0 && i + 1 < argc) {
			sys.modules_dir = argv[++i];
		} else if (argv[i][0] == '-') {
			return cli_usage_error("tui", "tui: unknown option '%s'", argv[i]);
		} else {
			first_disk = i;
			break;
		}
	}
	if (first_disk < argc) {
		sys.disk_args = argv + first_disk;
		sys.disk_arg_count = argc - first_disk;
	}
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO))
		return cli_fail("tui: needs a terminal");
	add_env_image_dirs(&sys, &env_copy, MAX_DIRS);
	sys.logs_dir = app_logs_dir(logs);
	tui_system_scan(&sys);
	if (tui_start() < 0) {
		free(env_copy);
		tui_system_free(&sys);
		return CLI_FAILED;
	}
	tui_main_screen(&sys);
	tui_stop();
	tui_system_free(&sys);
	free(env_copy);
	return tui_interrupted ? 130 : CLI_OK;
}
