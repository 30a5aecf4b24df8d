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

int cmd_run(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_tui(int argc, char **argv);
int cmd_win_inject(int argc, char **argv);
int cmd_win_mir(int argc, char **argv);

struct lb_strbuf;
/* Prints what a win_ops.h operation wrote to out (frees it), then its error
 * or the warnings; returns the exit code (cmd_win.c). */
int win_print_result(int rc, struct lb_strbuf *out);

#endif
