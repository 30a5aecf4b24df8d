/* Small screens of the main menu: a shell on the plain terminal, reboot and
 * power off. */
#include <errno.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>

#include "app_env.h"
#include "lifeboat/job.h"
#include "tui.h"
#include "tui_screens.h"

extern char **environ;

void tui_shell_screen(void)
{
	tui_suspend();
	const char *shell = getenv("SHELL");
	if (!shell || !*shell)
		shell = "/bin/sh";
	printf("\nLifeboat shell. Type 'exit' to go back to Lifeboat.\n\n");
	fflush(stdout);
	char *argv[] = { (char *)shell, NULL };
	pid_t pid;
	if (posix_spawn(&pid, shell, NULL, NULL, argv, environ) == 0) {
		int status;
		while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
			;
	} else {
		printf("cannot start %s\n", shell);
	}
	tui_interrupted = 0;
	tui_resume();
}

void tui_power_screen(void)
{
	static const struct tui_row rows[] = {
		{ "Reboot", false, "Restart the machine." },
		{ "Power off", false, "Switch the machine off." },
	};
	struct tui_list_spec spec = { .title = "Reboot / Power off", .rows = rows, .count = 2 };
	int choice = tui_list(&spec);
	if (choice < 0)
		return;
	int action = choice == 0 ? LB_JOB_FINAL_REBOOT : LB_JOB_FINAL_POWEROFF;
	tui_suspend();
	if (app_power(action) == 0)
		return;
	tui_resume();
	static const char *const lines[] = {
		"Not done: Lifeboat only reboots or powers off the machine inside its",
		"rescue system. Here, quit Lifeboat and use the system's own commands.",
		NULL,
	};
	tui_message("Reboot / Power off", lines);
}
