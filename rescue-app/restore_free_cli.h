/* lifeboat restore --into-free-space: the table backup's default name and
 * what is told to the user before and after. */
#ifndef LIFEBOAT_RESTORE_FREE_CLI_H
#define LIFEBOAT_RESTORE_FREE_CLI_H

#include <stddef.h>

#include "lifeboat/image.h"

/* lifeboat-table-NAME-YYYYmmdd-HHMMSS.bin in the current folder. */
void cli_default_table_backup(const char *target, char *out, size_t len);
/* The dry-run lines about the new partition. */
void cli_print_new_partition_plan(const struct lb_restore_plan *p, const char *backup);
/* After the restore: the new partition, the backup, how to remove the entry. */
void cli_print_new_partition_done(const char *target, const struct lb_restore_plan *p, const char *backup);

#endif
