/* The table of lifeboat subcommands: name, one-line summary, usage text. */
#include "cli.h"
#include "commands.h"

const struct cli_command cli_commands[] = {
	{ "help", "show the help of a command",
	  "Usage: lifeboat help [COMMAND]\n\nShows the overview, or the full help of COMMAND.\n",
	  cmd_help },
	{ "run", "run a job file unattended",
	  "Usage: lifeboat run JOB [--dry-run] [--logs DIR]\n"
	  "       lifeboat run --from-cmdline [--dry-run] [--logs DIR]\n\n"
	  "Checks the whole job file JOB (a path or an http:// URL) and, if it has no\n"
	  "error, runs its steps in order. --from-cmdline takes JOB from lifeboat.job=\n"
	  "on the kernel command line (nothing to do when absent). A job with an error\n"
	  "is rejected before any step runs (\"FILE:LINE: what is wrong\").\n\n"
	  "  --dry-run   check the job and list the steps it would run; change nothing\n"
	  "  --logs DIR  where the report goes (default $LIFEBOAT_LOGS, else\n"
	  "              /var/log/lifeboat); a job's report= is used as well\n\n"
	  "The job format is described in README.md (\"Job files\").\n",
	  cmd_run },
	{ "report", "list the reports of past operations",
	  "Usage: lifeboat report show [--logs DIR] [FILE]\n\n"
	  "Lists the reports in the logs folder, oldest first: when, what, result,\n"
	  "number of operations, bytes, and the error or the report's file. With FILE,\n"
	  "prints that report (JSON, described in README.md \"Reports\").\n\n"
	  "  --logs DIR  the logs folder (default $LIFEBOAT_LOGS, else /var/log/lifeboat)\n",
	  cmd_report },
	{ "tui", "the full-screen text UI (the default on a terminal)",
	  "Usage: lifeboat tui [--images DIR]... [--logs DIR] [DISK|IMAGE-FILE...]\n\n"
	  "The keyboard-driven text UI: disks and images at a glance, restore,\n"
	  "capture, verify, Windows tools, drivers, network, shell, reboot.\n"
	  "`lifeboat` with no arguments starts it when run on a terminal.\n\n"
	  "  --images DIR  a folder holding .lbi images (repeatable; also\n"
	  "                $LIFEBOAT_IMAGES, colon-separated)\n"
	  "  --logs DIR    where reports go (default $LIFEBOAT_LOGS, else /var/log/lifeboat)\n"
	  "  DISK...       work on these disks or disk image files instead of all of\n"
	  "                /sys/block\n\n"
	  "Disks holding an image folder or the rescue medium ($LIFEBOAT_MEDIA) are\n"
	  "never offered as targets. Needs a terminal of at least 80x24.\n",
	  cmd_tui },
	{ 0 },
};
