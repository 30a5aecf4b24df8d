/* The table of lifeboat subcommands: name, one-line summary, usage text. */
#include "cli.h"
#include "commands.h"

const struct cli_command cli_commands[] = {
	{ "help", "show the help of a command",
	  "Usage: lifeboat help [COMMAND]\n\nShows the overview, or the full help of COMMAND.\n",
	  cmd_help },
	{ "disks", "list disks, partition tables and file systems",
	  "Usage: lifeboat disks [--json] [--sector-size 512|4096] [DEVICE|IMAGE-FILE|IMAGE:N ...]\n\n"
	  "Shows the partition table of each disk (MBR with logical partitions, GPT,\n"
	  "hybrid MBR) and what each partition holds: file system, label, UUID, and\n"
	  "whether an NTFS partition holds a Windows installation. Nothing is mounted\n"
	  "or written. Without arguments, lists the machine's disks (/sys/block),\n"
	  "leaving out RAM disks, zram and unused loop devices.\n\n"
	  "  --json             machine-readable output (fields: see README.md)\n"
	  "  --sector-size N    logical sector size of image files (default: 4096 when\n"
	  "                     a GPT says so, else 512)\n\n"
	  "A partition is named IMAGE:N (or DEVICE:N), here and in other lifeboat\n"
	  "commands; `lifeboat disks IMAGE:N` shows what that partition holds.\n"
	  "Exit status: 0 when every disk was read, 1 when one could not be (its\n"
	  "error is printed, the others are listed), 2 on a usage error.\n",
	  cmd_disks },
	{ 0 },
};
