/* Change-tracking edits of a hive session for injection and M.I.R.: values
 * are written only when they differ, every change is noted in the journal
 * and the report, and the session is committed only if something changed. */
#ifndef LIFEBOAT_WINJECT_REGEDIT_H
#define LIFEBOAT_WINJECT_REGEDIT_H

#include <stdbool.h>
#include <stdint.h>

#include "lifeboat/hive.h"
#include "lifeboat/strbuf.h"

struct regedit {
	struct lb_hive *hive;
	const char *name;          /* "SYSTEM", "SOFTWARE" */
	struct lb_winop *op;
	struct lb_strbuf *report;
	bool changed;
};

/* The key at path, created (and reported) if missing. */
int rx_key(struct regedit *rx, const char *path, hive_node_h *node);

/* Sets a value unless it already holds exactly this; noclobber keeps any existing value. */
int rx_set(struct regedit *rx, const char *path, const char *name, uint32_t type, const void *data, size_t len,
	   bool noclobber);
int rx_set_dword(struct regedit *rx, const char *path, const char *name, uint32_t value);
/* type REG_SZ, REG_EXPAND_SZ or REG_MULTI_SZ (then utf8 holds one string per '\n'-separated part). */
int rx_set_string(struct regedit *rx, const char *path, const char *name, uint32_t type, const char *utf8);

/* Deletes a value / a key with its subkeys when present. */
int rx_delete_value(struct regedit *rx, const char *path, const char *name);
int rx_delete_key(struct regedit *rx, const char *path);

/* Commits the session if it changed. */
int rx_commit(struct regedit *rx);

#endif
