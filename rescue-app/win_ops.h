/* The offline-Windows operations as the command line and the TUI run them:
 * each opens the Windows on TARGET (a partition, DISK:N, a partition image
 * or a folder), does one thing, closes it, and describes what it did in out.
 * Errors come back as negative LB_E_* codes with the message set; nothing is
 * printed. */
#ifndef LIFEBOAT_WIN_OPS_H
#define LIFEBOAT_WIN_OPS_H

#include <stdbool.h>
#include <stddef.h>

#include "lifeboat/strbuf.h"

int win_op_info(const char *target, struct lb_strbuf *json);
/* Text form of win_op_info's JSON: one "key: value" line per field. */
void win_info_text(const char *json, struct lb_strbuf *out);
int win_op_rename(const char *target, const char *name, bool force, struct lb_strbuf *out);
/* sid NULL: a random one. */
int win_op_newsid(const char *target, const char *sid, bool force, struct lb_strbuf *out);
int win_op_hal(const char *target, struct lb_strbuf *out);
int win_op_undo(const char *target, struct lb_strbuf *out);
/* Opening for writing rolls back interrupted commits; nothing else changes. */
int win_op_recover(const char *target, struct lb_strbuf *out);
/* Queues the script at script_path to run once at the next boot. */
int win_op_setup(const char *target, const char *script_path, struct lb_strbuf *out);
int win_op_inject(const char *target, const char *const *packages, size_t n, struct lb_strbuf *out);
/* M.I.R. for this machine's hardware (sysfs), or the list in hardware. */
int win_op_mir(const char *target, const char *const *driver_dirs, size_t ndirs, const char *hardware,
	       struct lb_strbuf *out);

#endif
