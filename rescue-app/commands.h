/* Entry points of the lifeboat subcommands, one file each (cmd_NAME.c). */
#ifndef LIFEBOAT_COMMANDS_H
#define LIFEBOAT_COMMANDS_H

int cmd_help(int argc, char **argv);
int cmd_disks(int argc, char **argv);
int cmd_win(int argc, char **argv);
int cmd_capture(int argc, char **argv);
int cmd_restore(int argc, char **argv);
int cmd_verify(int argc, char **argv);
int cmd_info(int argc, char **argv);

#endif
