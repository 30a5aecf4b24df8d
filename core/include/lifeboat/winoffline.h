/* An installed, not running, Windows on a volume: finding it, describing
 * it, and the identity operations (computer name, machine SID, HAL, setup
 * re-arm). Every hive edit goes through lifeboat/hive.h sessions inside one
 * journaled operation, so `lb_win_undo` can restore the last one. */
#ifndef LIFEBOAT_WINOFFLINE_H
#define LIFEBOAT_WINOFFLINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lifeboat/hive.h"
#include "lifeboat/json.h"
#include "lifeboat/strbuf.h"
#include "lifeboat/winvol.h"

enum lb_win_flags {
	LB_WIN_READ = 0,
	LB_WIN_WRITE = 1 << 0,  /* refuses hibernated / Fast-Startup volumes, recovers interrupted commits */
};

struct lb_win {
	struct lb_winvol *vol;
	char *sysroot;   /* e.g. "Windows", as spelled on the volume */
	char *config;    /* "<sysroot>/System32/config" */
	char *journal;   /* "<sysroot>/Lifeboat/journal" */
	bool hibernated; /* hiberfil.sys holds a hibernation / Fast Startup image */
};

/* Opens the volume TARGET (see lb_winvol_open) and finds the system root:
 * Windows, WINNT, ... with System32/config and System32/cmd.exe present.
 * LB_E_NOTFOUND when there is no Windows. */
int lb_win_open(const char *target, int flags, struct lb_win **out);
int lb_win_close(struct lb_win *win);

/* Volume path of a hive in System32/config ("SYSTEM", "SOFTWARE", ...), malloc'd. */
int lb_win_hive_path(const struct lb_win *win, const char *name, char **out);

/* Begins an operation journaled in the installation's journal. */
int lb_win_begin(struct lb_win *win, const char *what, struct lb_winop **out);

/* Opens a session on a System32/config hive (op NULL: read-only). */
int lb_win_open_hive(struct lb_win *win, const char *name, struct lb_winop *op, struct lb_hive **out);

/* Undoes the last operation: its backups are written back; for newsid the
 * NTFS security descriptors and SID-named folders get the old SID back too.
 * *what gets its description (malloc'd). */
int lb_win_undo(struct lb_win *win, char **what);

/* Control sets of a SYSTEM hive. */
struct lb_win_control_sets {
	uint32_t current, deflt, last_known_good, failed;  /* from Select, 0 if absent */
	int count;
	uint32_t sets[16];                                 /* ControlSetNNN present */
};
int lb_win_control_sets(struct lb_hive *system, struct lb_win_control_sets *out);

/* --- Description (lifeboat win info) ------------------------------------ */

/* Writes everything `win info` reports as one JSON object:
 * system_root, product_name, edition, installation_type, version, build,
 * architecture, computer_name, machine_sid, workgroup/domain, domain_member,
 * domain_controller, hibernated, bitlocker, control_sets, hives (state). */
int lb_win_describe(struct lb_win *win, struct lb_json *json);

/* --- Identity -------------------------------------------------------------- */

/* NetBIOS rules: 1..15 characters, none of "/\[]:|<>+=;,?* or control
 * characters or space, not all digits. */
int lb_win_check_computer_name(const char *name);

/* Sets the computer name in every control set (NetBIOS upper-case in
 * ComputerName, DNS host name as given in Tcpip NV Hostname/Hostname, the
 * existing spelling of each value kept). Refuses domain members and domain
 * controllers unless force. */
int lb_win_rename(struct lb_win *win, const char *name, bool force);

/* A machine SID: the three sub-authorities of S-1-5-21-A-B-C. */
struct lb_sid3 {
	uint32_t sub[3];
};
int lb_sid3_parse(const char *text, struct lb_sid3 *out);     /* "S-1-5-21-A-B-C" */
void lb_sid3_format(const struct lb_sid3 *sid, char out[64]);
int lb_sid3_random(struct lb_sid3 *out);                      /* getrandom(2) */

/* The machine SID as SAM (Domains\Account\V) records it. */
int lb_win_machine_sid(struct lb_win *win, struct lb_sid3 *out);

/* Changes the machine SID everywhere (SAM, SECURITY, SOFTWARE ProfileList,
 * SYSTEM, DEFAULT, every user hive, NTFS security descriptors, SID-named
 * folders). new_sid NULL: a random one. Refuses domain controllers, and a
 * SAM/SECURITY mismatch unless force. The new SID is stored in *result. */
int lb_win_newsid(struct lb_win *win, const struct lb_sid3 *new_sid, bool force, struct lb_sid3 *result);

/* --- HAL and setup --------------------------------------------------------- */

/* Calls fn for each BCD store (Boot/BCD, EFI/Microsoft/Boot/BCD) on win's
 * volume, then on the EFI system and MBR active partitions of its disk
 * when TARGET is DISK:N or a partition device (opened like win's volume,
 * closed after). prefix is "" or "partition N: " for fn's report lines; a
 * partition that cannot be opened is said so in report and skipped. A
 * non-zero return of fn stops; *stores counts the stores visited. */
typedef int (*lb_win_bcd_fn)(struct lb_winvol *vol, const char *path, const char *prefix, void *ctx);
int lb_win_each_bcd(struct lb_win *win, lb_win_bcd_fn fn, void *ctx, struct lb_strbuf *report, int *stores);

/* "Replace HAL" for the era that needs it; *report describes what was done
 * or why nothing was needed (malloc'd). */
int lb_win_hal(struct lb_win *win, char **report);

/* The same step inside an operation that does more (M.I.R.), so one undo
 * reverts everything: what it did or why nothing was needed is appended to
 * report, *changed is set when it wrote anything. */
int lb_win_hal_step(struct lb_win *win, struct lb_winop *op, struct lb_strbuf *report, bool *changed);

/* Queues a script to run once at the next boot, before logon, as SYSTEM,
 * and arms Windows Setup for it (SYSTEM\Setup SetupType=2, CmdLine =
 * "cmd.exe /c %SystemRoot%\Lifeboat\firstboot.cmd"). The script is stored
 * as <sysroot>/Lifeboat/firstboot.d/NAME.cmd (CRLF line ends); the runner
 * firstboot.cmd runs every queued script in name order, logs each to
 * <sysroot>\Lifeboat\firstboot.log, moves it to firstboot.done, and disarms
 * Setup (SetupType=0, CmdLine=""). Used by `win setup --run` and by driver
 * injection (pnputil). name: letters, digits, '-', '_', '.'. It opens and
 * commits its own SYSTEM session in op: commit any SYSTEM session of op
 * before calling it. Refuses when Setup is armed by someone else. */
int lb_win_firstboot_add(struct lb_win *win, struct lb_winop *op, const char *name, const char *script,
			 size_t len);

#endif
