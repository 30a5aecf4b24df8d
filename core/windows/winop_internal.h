/* How a hive session hands a checked, committed hive to its operation,
 * which backs up, journals and writes it back (winop.c). */
#ifndef LIFEBOAT_WINDOWS_WINOP_INTERNAL_H
#define LIFEBOAT_WINDOWS_WINOP_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

struct lb_winop;
struct lb_winvol;

/* A file as it was read off the volume when the session opened. */
struct winop_file {
	char *path;
	uint8_t *data;
	size_t len;
};

/* Backs up hive and logs (once per operation), journals the commit, writes
 * new_data into the hive file on vol in place, empties the non-empty logs,
 * and journals that it is written. vol may be another volume than the
 * operation's (the BCD on the EFI system partition): its backups then go
 * beside the journal, and undo reopens it by its target. */
int winop_commit_hive(struct lb_winop *op, struct lb_winvol *vol, const struct winop_file *hive,
		      const uint8_t *new_data, size_t new_len, const struct winop_file *logs, int nlogs);

#endif
