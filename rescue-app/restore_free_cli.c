/* The user-facing side of restoring a partition into free space: where the
 * backup of the old partition table goes by default, the plan printed by
 * --dry-run, and the closing lines naming the new partition, the backup
 * and how to take the entry out again. */
#include "restore_free_cli.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "image_cli.h"

void cli_default_table_backup(const char *target, char *out, size_t len)
{
	const char *slash = strrchr(target, '/');
	char when[32];
	time_t now = time(NULL);
	struct tm tm;
	localtime_r(&now, &tm);
	strftime(when, sizeof when, "%Y%m%d-%H%M%S", &tm);
	snprintf(out, len, "lifeboat-table-%s-%s.bin", slash ? slash + 1 : target, when);
}

static void describe(const struct lb_restore_plan *p, char *out, size_t len)
{
	char size[32];
	cli_format_bytes(p->new_size_lba * p->new_sector_size, size, sizeof size);
	snprintf(out, len, "%spartition %u, sectors %llu-%llu (%s)", p->new_logical ? "logical " : "", p->new_number,
		 (unsigned long long)p->new_start_lba,
		 (unsigned long long)(p->new_start_lba + p->new_size_lba - 1), size);
}

void cli_print_new_partition_plan(const struct lb_restore_plan *p, const char *backup)
{
	char what[128];
	describe(p, what, sizeof what);
	printf("  into free space as new %s in its %s\n", what, p->new_table_type == 2 ? "GPT" : "MBR");
	printf("  the old partition table would be saved to %s first\n", backup);
}

void cli_print_new_partition_done(const char *target, const struct lb_restore_plan *p, const char *backup)
{
	char what[128];
	describe(p, what, sizeof what);
	printf("Restored into new %s of %s.\n", what, target);
	printf("The old partition table's sectors are saved in %s; `sfdisk --delete %s %u` removes the new entry.\n",
	       backup, target, p->new_number);
}
