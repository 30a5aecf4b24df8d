/* The table of lifeboat subcommands: name, one-line summary, usage text. */
#include "cli.h"
#include "commands.h"

const struct cli_command cli_commands[] = {
	{ "help", "show the help of a command",
	  "Usage: lifeboat help [COMMAND]\n\nShows the overview, or the full help of COMMAND.\n",
	  cmd_help },
	{ "capture", "image a disk, partition or file system into an .lbi image",
	  "Usage: lifeboat capture [OPTIONS] SOURCE IMAGE\n\n"
	  "Images SOURCE (a disk, a partition, or an image file of either) into IMAGE\n"
	  "(a file, or - for standard output). A source with an MBR or GPT is taken as\n"
	  "a whole disk: table, boot code, gaps and every partition. Only used blocks of\n"
	  "ext2/3/4, NTFS, FAT and exFAT are stored; swap keeps its header; anything\n"
	  "else is copied whole.\n\n"
	  "  --compress zstd[:1-19]|zlib[:1-9]|bzip2[:1-9]|none   codec (zstd:3)\n"
	  "  --split SIZE          volumes IMAGE, IMAGE.002, ... of at most SIZE (4G, 700M)\n"
	  "  --sector-by-sector    copy every sector, used or not\n"
	  "  --comment TEXT        stored in the image header\n"
	  "  --threads N           compression threads (one per CPU)\n"
	  "  --chunk-size SIZE     decoded bytes per chunk (4M)\n"
	  "  --progress auto|json|none   progress on stderr (auto: on a terminal)\n",
	  cmd_capture },
	{ "restore", "restore an .lbi image onto a disk, partition or file",
	  "Usage: lifeboat restore [OPTIONS] IMAGE|- TARGET\n\n"
	  "Restores IMAGE (a file, split volumes found by name, or - for a pipe) onto\n"
	  "TARGET. Every chunk is checked before its bytes are written; on a damaged\n"
	  "image the restore stops and names the range not restored. Refuses a target\n"
	  "that is mounted, holds the image, or is too small. A missing TARGET file is\n"
	  "created.\n\n"
	  "  --yes                 do not ask for confirmation\n"
	  "  --dry-run             print the plan, write nothing\n"
	  "  --partition N         only partition N of a whole-disk image, onto TARGET\n"
	  "  --verify-first        read and check the whole image before writing\n"
	  "  --resume              write only chunks that differ on the target\n"
	  "  --fill-free           zero what the image does not hold\n"
	  "  --discard             discard (TRIM / punch holes) what the image does not hold\n"
	  "  --new-identity        fresh disk/partition GUIDs or MBR signature\n"
	  "  --grow-last           grow the last partition to the end of a larger disk\n"
	  "  --threads N           decoding threads (one per CPU)\n"
	  "  --progress auto|json|none\n",
	  cmd_restore },
	{ "verify", "check every chunk, the index and the digest of an image",
	  "Usage: lifeboat verify [--progress auto|json|none] IMAGE|-\n\n"
	  "Reads the whole image and checks every chunk's checksum, the chunk index\n"
	  "and the whole-image digest, without a target.\n",
	  cmd_verify },
	{ "info", "show what an .lbi image holds",
	  "Usage: lifeboat info [--json] IMAGE\n\n"
	  "Shows the image header, the source disk or file system, its partitions\n"
	  "and sizes.\n",
	  cmd_info },
	{ 0 },
};
