/* Entry points of the lifeboat subcommands, one file each (cmd_NAME.c). */
#ifndef LIFEBOAT_COMMANDS_H
#define LIFEBOAT_COMMANDS_H

#include <stddef.h>

int cmd_help(int argc, char **argv);
int cmd_disks(int argc, char **argv);
int cmd_win(int argc, char **argv);
int cmd_capture(int argc, char **argv);
int cmd_restore(int argc, char **argv);
int cmd_verify(int argc, char **argv);
int cmd_info(int argc, char **argv);
int cmd_drivers(int argc, char **argv);
int cmd_drivers_inspect(int argc, char **argv);
int cmd_drivers_load(int argc, char **argv);

/* The kernel module folder: moddir if set, else /lib/modules/`uname -r`
 * (into buf); 0, or CLI_FAILED after printing why. */
int drivers_default_moddir(char *buf, size_t len, const char **moddir);
int cmd_run(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_tui(int argc, char **argv);
int cmd_win_inject(int argc, char **argv);
int cmd_win_mir(int argc, char **argv);

struct lb_win;
struct lb_strbuf;
/* Opens TARGET for writing, runs fn, prints its report and the warnings;
 * returns the exit code (cmd_win_inject.c). */
int win_drivers_run(const char *target, int (*fn)(struct lb_win *win, void *ctx, struct lb_strbuf *report),
		    void *ctx);

#endif
