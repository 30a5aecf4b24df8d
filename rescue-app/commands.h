/* Entry points of the lifeboat subcommands, one file each (cmd_NAME.c). */
#ifndef LIFEBOAT_COMMANDS_H
#define LIFEBOAT_COMMANDS_H

int cmd_help(int argc, char **argv);
int cmd_run(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_tui(int argc, char **argv);

#endif
