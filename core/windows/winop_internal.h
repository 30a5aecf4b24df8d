/* How a hive session hands a checked, committed hive to its operation,
 * which backs up, journals and writes it back (winop.c). */
#ifndef LIFEBOAT_WINDOWS_WINOP_INTERNAL_H
#define LIFEBOAT_WINDOWS_WINOP_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

struct lb_winop;

/* A file as it was read off the volume when the session opened. */
struct winop_file {
	char *path;
	uint8_t *data;
	size_t len;
};

/* Backs up hive and logs (once per operation), journals the commit, writes
 * new_data into the hive file in place, empties the non-empty logs, and
 * journals that it is written. */
int winop_commit_hive(struct lb_winop *op, const struct winop_file *hive, const uint8_t *new_data,
		      size_t new_len, const struct winop_file *logs, int nlogs);

#endif
