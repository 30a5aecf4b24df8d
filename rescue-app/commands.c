/* The table of lifeboat subcommands: name, one-line summary, usage text. */
#include "cli.h"
#include "commands.h"

const struct cli_command cli_commands[] = {
	{ "help", "show the help of a command",
	  "Usage: lifeboat help [COMMAND]\n\nShows the overview, or the full help of COMMAND.\n",
	  cmd_help },
	{ "drivers", "list devices without a driver, load kernel modules, inspect .inf packages",
	  "Usage: lifeboat drivers [--all] [--json] [--sysfs DIR] [--modules DIR]\n"
	  "       lifeboat drivers load MODULE|FILE.ko|DIR... [--dry-run] [--modules DIR] [--sysfs DIR]\n"
	  "       lifeboat drivers inspect PATH [--json]\n\n"
	  "Without a subcommand, lists the devices Linux has no driver bound to (all\n"
	  "devices with --all) and the kernel modules that would serve each, from the\n"
	  "devices' modalias and modules.alias, saying which the rescue system does\n"
	  "not carry. --sysfs and --modules replace /sys and /lib/modules/VERSION.\n\n"
	  "load inserts a module by name (from modules.dep), a module file, or every\n"
	  "module file of a folder (a USB stick), dependencies first, then reports the\n"
	  "disks and network interfaces that appeared. A kernel in Secure Boot\n"
	  "lockdown refuses unsigned modules; that refusal is reported as such.\n"
	  "--dry-run prints the files in load order without loading.\n\n"
	  "inspect shows a Windows driver package (a folder of .inf files or one .inf):\n"
	  "class, provider, version and date, catalog, the Models sections per\n"
	  "architecture and Windows version with their hardware IDs and install\n"
	  "sections, services, files, and whether the driver is boot-critical.\n",
	  cmd_drivers },
	{ 0 },
};
