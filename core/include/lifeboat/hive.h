/* Hive sessions: the one path through which every edit of an offline
 * Windows registry hive goes, grouped into journaled operations.
 *
 * An operation (struct lb_winop) is one user-visible change ("rename to
 * PC-042", "inject viostor"): it appends to a journal on the volume what it
 * backs up and changes, so `lb_winop_undo` can restore the backups of the
 * last operation and `lb_winop_recover` can roll back a commit that was
 * interrupted (power loss, kill) — after it, every hive is either the old or
 * the new one.
 *
 * A session (struct lb_hive) edits one hive:
 *   open    copies the hive and its .LOG/.LOG1/.LOG2 off the volume; a dirty
 *           base block (sequence numbers differ, bad checksum) is repaired
 *           by replaying the new-format logs into the copy; a dirty hive
 *           without logs is edited with a warning; logs that cannot be
 *           replayed, or a hive hivex opens only in unsafe mode, refuse.
 *   edit    through hivex on the private copy (lb_hive_handle), or the
 *           helpers below.
 *   commit  hivex_commit, free cells zeroed, re-opened with hivex to check;
 *           the original and its logs are backed up next to it
 *           (NAME.lifeboat-YYYYmmdd-HHMMSS), the copy is written back into
 *           the same file, the stale logs are emptied (kept as 0-byte files).
 *
 * Paths are volume paths (lifeboat/winvol.h). Key paths in the helpers are
 * backslash-separated, relative to the hive root, matched case-insensitively. */
#ifndef LIFEBOAT_HIVE_H
#define LIFEBOAT_HIVE_H

#include <hivex.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct lb_winvol;
struct lb_winop;
struct lb_hive;

/* Begins an operation journaled at journal_path (e.g.
 * "Windows/Lifeboat/journal"; created with its directory on the first
 * commit). what is one line describing it. */
int lb_winop_begin(struct lb_winvol *vol, const char *journal_path, const char *what,
		   struct lb_winop **out);

/* Records one change in the journal ("SYSTEM: ControlSet001\...\ComputerName
 * = PC-042"). Written with the next commit or at lb_winop_end. A NULL op
 * records nothing (work done outside any operation, e.g. during undo). */
int lb_winop_note(struct lb_winop *op, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Ends the operation (journal "end" line if anything was committed) and frees op. */
int lb_winop_end(struct lb_winop *op);

/* Replaces a whole file (not a hive) the same way a hive commit does:
 * backup next to it once per operation, journal, in-place rewrite. Undo
 * and recovery treat it like a hive. For boot.ini and similar files. */
int lb_winop_replace_file(struct lb_winop *op, const char *path, const void *data, size_t len);

/* Creates a NEW file, and the folders it needs, as part of the operation;
 * both are journaled so undo removes them (a folder only when empty). */
int lb_winop_create_file(struct lb_winop *op, const char *path, const void *data, size_t len);

/* Rolls back every commit the journal shows as begun but not finished:
 * the hive and its logs get their backups back. Returns how many. */
int lb_winop_recover(struct lb_winvol *vol, const char *journal_path);

/* Restores the backups of the last operation not yet undone and removes
 * the files and folders it created; *what (may be NULL) receives its
 * description. LB_E_NOTFOUND when there is none. */
int lb_winop_undo(struct lb_winvol *vol, const char *journal_path, char **what);

/* What a hive file on the volume looks like, without changing anything. */
struct lb_hive_state {
	bool dirty;        /* sequence numbers differ or the checksum is bad */
	bool checksum_ok;
	uint32_t seq1, seq2;
	bool has_logs;     /* a non-empty .LOG, .LOG1 or .LOG2 beside it */
	unsigned replayed; /* log entries replayed by lb_hive_open */
};

int lb_hive_probe(struct lb_winvol *vol, const char *path, struct lb_hive_state *st);

/* Opens a session on the hive at path. With op == NULL the session is
 * read-only (lb_hive_commit refuses). */
int lb_hive_open(struct lb_winvol *vol, const char *path, struct lb_winop *op, struct lb_hive **out);

hive_h *lb_hive_handle(struct lb_hive *h);
const struct lb_hive_state *lb_hive_state(const struct lb_hive *h);
const char *lb_hive_path(const struct lb_hive *h);

/* The hive file's bytes as they were read off the volume (before replay). */
const uint8_t *lb_hive_original(const struct lb_hive *h, size_t *len);

/* A raw pass run on the committed file before it is checked and written
 * back (e.g. rewriting SIDs inside security cells, which hivex cannot
 * edit). It must keep every cell's size. */
typedef int (*lb_hive_fixup_fn)(uint8_t *hive, size_t len, void *ctx);
void lb_hive_set_fixup(struct lb_hive *h, lb_hive_fixup_fn fn, void *ctx);

/* Commits the edits to the volume as described above. */
int lb_hive_commit(struct lb_hive *h);

/* Ends the session; uncommitted edits are dropped. */
void lb_hive_close(struct lb_hive *h);

/* --- Helpers on top of hivex ------------------------------------------ */

/* The node at a backslash path ("" = root), or 0 (LB_E_NOTFOUND set). */
hive_node_h lb_hive_find(struct lb_hive *h, const char *path);

/* Like lb_hive_find, creating missing keys. */
int lb_hive_mkpath(struct lb_hive *h, const char *path, hive_node_h *out);

/* Value of a key as UTF-8 (REG_SZ, REG_EXPAND_SZ) / a DWORD; LB_E_NOTFOUND
 * when absent. name "" is the default value. The string is malloc'd. */
int lb_hive_get_string(struct lb_hive *h, hive_node_h node, const char *name, char **out);
int lb_hive_get_dword(struct lb_hive *h, hive_node_h node, const char *name, uint32_t *out);

/* Raw value data (malloc'd) and its type. */
int lb_hive_get_value(struct lb_hive *h, hive_node_h node, const char *name, uint32_t *type,
		      uint8_t **data, size_t *len);

/* The exact spelling of an existing value name (malloc'd), or LB_E_NOTFOUND. */
int lb_hive_value_spelling(struct lb_hive *h, hive_node_h node, const char *name, char **out);

/* Sets a value (replacing one of the same name, any case). Strings are
 * given as UTF-8 and stored as UTF-16LE with the terminating NUL. */
int lb_hive_set_value(struct lb_hive *h, hive_node_h node, const char *name, uint32_t type,
		      const void *data, size_t len);
int lb_hive_set_string(struct lb_hive *h, hive_node_h node, const char *name, uint32_t type,
		       const char *utf8);
int lb_hive_set_dword(struct lb_hive *h, hive_node_h node, const char *name, uint32_t value);

/* Deletes a value / a key with everything below it; absent is not an error. */
int lb_hive_delete_value(struct lb_hive *h, hive_node_h node, const char *name);
int lb_hive_delete_key(struct lb_hive *h, const char *path);

/* UTF-8 to UTF-16LE with a terminating NUL unit; *len in bytes (malloc'd). */
int lb_utf8_to_utf16le(const char *utf8, uint8_t **out, size_t *len);

#endif
