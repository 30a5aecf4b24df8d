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
	{ "win", "change an offline Windows: info, rename, newsid, hal, inject, mir, setup, undo",
	  "Usage: lifeboat win info TARGET [--json]\n"
	  "       lifeboat win rename TARGET NAME [--force]\n"
	  "       lifeboat win newsid TARGET [--sid S-1-5-21-A-B-C] [--force]\n"
	  "       lifeboat win hal TARGET\n"
	  "       lifeboat win inject TARGET PACKAGE...\n"
	  "       lifeboat win mir TARGET [--drivers DIR]... [--hardware FILE]\n"
	  "       lifeboat win setup TARGET --run SCRIPT\n"
	  "       lifeboat win undo TARGET\n"
	  "       lifeboat win recover TARGET\n\n"
	  "TARGET is a Windows volume: a partition device, a partition image, DISK:N\n"
	  "(partition N of a disk or disk image), or a directory (a mounted or copied\n"
	  "volume root). NTFS is read and written with libntfs-3g, never mounted.\n\n"
	  "  info     system root, version, edition, architecture, computer name, machine\n"
	  "           SID, domain, hibernation, control sets, state of each hive\n"
	  "  rename   set the computer name in every control set (NetBIOS: 1-15 of\n"
	  "           letters, digits, '-'; not all digits); refuses domain members\n"
	  "           and domain controllers unless --force\n"
	  "  newsid   give the machine a new (random or --sid) SID everywhere: SAM,\n"
	  "           SECURITY, ProfileList, every hive, NTFS security descriptors;\n"
	  "           refuses domain controllers, and SAM/SECURITY disagreeing unless --force\n"
	  "  hal      replace the HAL where the Windows version needs it (XP/2003 boot.ini,\n"
	  "           Vista BCD detecthal; Windows 7+: removes stray BCD kernel/hal overrides)\n"
	  "           in every BCD store: TARGET's, and with DISK:N or a partition device\n"
	  "           those on the disk's EFI system and active partitions\n"
	  "  inject   add driver packages (folders of .inf files, or .inf files): the Models\n"
	  "           section for this Windows, boot-start storage drivers made bootable\n"
	  "           (Services + CriticalDeviceDatabase before Windows 8, DriverDatabase\n"
	  "           from 8 on), every package staged for pnputil at first boot\n"
	  "  mir      adapt to new hardware (this machine, or --hardware FILE: lines\n"
	  "           'pci VVVV:DDDD SSSS:TTTT RR CCCCCC' and 'cpu VENDOR'): the best driver\n"
	  "           for each storage controller (inbox, or from --drivers), stale\n"
	  "           storage filters, the other CPU vendor's driver, AutoReboot=0, the\n"
	  "           HAL step, and (TARGET as DISK:N or a partition device) the disk\n"
	  "           identity in MountedDevices and the BCD stores, e.g. after\n"
	  "           'restore --new-identity'\n"
	  "  setup    run SCRIPT once at the next boot, before logon, as SYSTEM\n"
	  "  undo     restore the backups of the last operation and remove the files\n"
	  "           and folders it created\n"
	  "  recover  roll back a change that was interrupted (power loss, kill); every\n"
	  "           command that changes Windows does this first\n\n"
	  "Every change backs up each hive next to it (NAME.lifeboat-YYYYmmdd-HHMMSS) and\n"
	  "is journaled in Windows/Lifeboat/journal. Hibernated (Fast Startup) and\n"
	  "BitLocker volumes are refused.\n",
	  cmd_win },
	{ "capture", "image a disk, partition or file system into an .lbi image",
	  "Usage: lifeboat capture [OPTIONS] SOURCE IMAGE\n\n"
	  "Images SOURCE (a disk, a partition, an image file of either, or DISK:N for\n"
	  "partition N of a disk or disk image) into IMAGE\n"
	  "(a file, or - for standard output). A source with an MBR or GPT is taken as\n"
	  "a whole disk: table, boot code, gaps and every partition. Only used blocks of\n"
	  "ext2/3/4, NTFS, FAT and exFAT are stored; swap keeps its header; anything\n"
	  "else is copied whole.\n\n"
	  "  --compress zstd[:1-19]|zlib[:1-9]|bzip2[:1-9]|none   codec (zstd:3)\n"
	  "  --split SIZE          volumes IMAGE, IMAGE.002, ... of at most SIZE (4G, 700M)\n"
	  "  --sector-by-sector    copy every sector, used or not\n"
	  "  --partitions N,M,...  whole disks: only these partitions' data (table,\n"
	  "                        boot code and gaps always); restore leaves the\n"
	  "                        others alone on the target\n"
	  "  --comment TEXT        stored in the image header\n"
	  "  --threads N           compression threads (one per CPU)\n"
	  "  --chunk-size SIZE     decoded bytes per chunk (8M)\n"
	  "  --progress auto|json|none   progress on stderr (auto: on a terminal)\n"
	  "  --encrypt             AES-256-GCM per chunk, key from the password (scrypt)\n"
	  "  --password-file FILE  the password is FILE's first line (else\n"
	  "                        $LIFEBOAT_PASSWORD, else asked twice on the terminal)\n"
	  "  --kdf-memory SIZE     memory scrypt takes to derive the key, 1M to 256M\n"
	  "                        (128M); more makes guessing slower, and every\n"
	  "                        machine that restores needs that much free\n",
	  cmd_capture },
	{ "restore", "restore an .lbi image onto a disk, partition or file",
	  "Usage: lifeboat restore [OPTIONS] IMAGE|- TARGET\n\n"
	  "Restores IMAGE (a file, split volumes found by name, or - for a pipe) onto\n"
	  "TARGET (a disk, partition or file, or DISK:N for partition N). Every chunk is checked before its bytes are written; on a damaged\n"
	  "image the restore stops and names the range not restored. Refuses a target\n"
	  "that is mounted, holds the image, or is too small. A missing TARGET file\n"
	  "(not under /dev, not DISK:N) is created, and removed again when nothing\n"
	  "was written to it.\n\n"
	  "  --yes                 do not ask for confirmation\n"
	  "  --dry-run             print the plan, write nothing\n"
	  "  --partition N         only partition N of a whole-disk image, onto TARGET\n"
	  "  --into-free-space     with --partition: TARGET is a whole disk; the partition\n"
	  "                        goes into its first free region that holds it, as a\n"
	  "                        new entry of its GPT or MBR (written after the data)\n"
	  "  --table-backup FILE   where the old table's sectors are saved first\n"
	  "                        (lifeboat-table-DISK-TIME.bin in the current folder)\n"
	  "  --verify-first        read and check the whole image before writing\n"
	  "  --resume              write only chunks that differ on the target\n"
	  "  --fill-free           zero what the image does not hold\n"
	  "  --discard             discard (TRIM / punch holes) what the image does not hold\n"
	  "  --new-identity        fresh disk/partition GUIDs or MBR signature\n"
	  "  --grow-last           grow the last partition to the end of a larger disk\n"
	  "  --threads N           decoding threads (one per CPU)\n"
	  "  --progress auto|json|none\n"
	  "  --password-file FILE  password of an encrypted image (else\n"
	  "                        $LIFEBOAT_PASSWORD, else asked on the terminal)\n"
	  "  --volumes DIR         another folder holding split volumes (repeatable;\n"
	  "                        on a terminal a missing volume's folder is asked for)\n",
	  cmd_restore },
	{ "verify", "check every chunk, the index and the digest of an image",
	  "Usage: lifeboat verify [--progress auto|json|none] [--password-file FILE]\n"
	  "                       [--volumes DIR]... IMAGE|-\n\n"
	  "Reads the whole image and checks every chunk's checksum, the chunk index\n"
	  "and the whole-image digest, without a target. An encrypted image needs its\n"
	  "password (--password-file, $LIFEBOAT_PASSWORD or the terminal). Split\n"
	  "volumes are looked for next to IMAGE and in each --volumes DIR.\n",
	  cmd_verify },
	{ "info", "show what an .lbi image holds",
	  "Usage: lifeboat info [--json] [--password-file FILE] [--volumes DIR]... IMAGE\n\n"
	  "Shows the image header, the source disk or file system, its partitions\n"
	  "and sizes. Of an encrypted image, header and metadata are shown without\n"
	  "the password; a password given (--password-file or $LIFEBOAT_PASSWORD)\n"
	  "is checked and authenticates them.\n",
	  cmd_info },
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
	  "Usage: lifeboat tui [--images DIR]... [--logs DIR] [--modules DIR] [DISK|IMAGE-FILE...]\n\n"
	  "The keyboard-driven text UI: disks and images at a glance, restore,\n"
	  "capture, verify, Windows tools, drivers, network, shell, reboot.\n"
	  "`lifeboat` with no arguments starts it when run on a terminal.\n\n"
	  "  --images DIR  a folder holding .lbi images (repeatable; also\n"
	  "                $LIFEBOAT_IMAGES, colon-separated)\n"
	  "  --logs DIR    where reports go (default $LIFEBOAT_LOGS, else /var/log/lifeboat)\n"
	  "  --modules DIR kernel modules for the Drivers screen (default\n"
	  "                /lib/modules/`uname -r`)\n"
	  "  DISK...       work on these disks or disk image files instead of all of\n"
	  "                /sys/block\n\n"
	  "Disks holding an image folder or the rescue medium ($LIFEBOAT_MEDIA) are\n"
	  "never offered as targets. Needs a terminal of at least 80x24.\n",
	  cmd_tui },
	{ 0 },
};
