/* Pieces shared by the offline-Windows operations in core/windows. */
#ifndef LIFEBOAT_WINDOWS_WIN_INTERNAL_H
#define LIFEBOAT_WINDOWS_WIN_INTERNAL_H

#include "lifeboat/winoffline.h"

/* Domain membership as SECURITY and SYSTEM record it. */
struct win_domain {
	bool member;             /* PolPrDmS holds a domain SID */
	bool controller;         /* ProductOptions ProductType = LanmanNT */
	char name[128];          /* PolPrDmN: workgroup or domain name */
	char product_type[32];   /* WinNT, ServerNT, LanmanNT */
};

int win_domain_state(struct lb_win *win, struct win_domain *out);

/* The control set number Windows boots next (Select\Default, else Current). */
uint32_t win_default_set(const struct lb_win_control_sets *sets);

/* "x86", "x64", "arm64" from the PE machine of System32/cmd.exe; NULL if unreadable. */
const char *win_architecture(struct lb_win *win);

/* Windows version from SOFTWARE (CurrentMajor/MinorVersionNumber, else CurrentVersion). */
int win_version(struct lb_win *win, unsigned *major, unsigned *minor);

/* UTF-16LE (units code units, stops at NUL) to UTF-8 into out (always terminated). */
void win_utf16_to_utf8(const uint8_t *in, size_t units, char *out, size_t outlen);

/* --- Rewriting one machine SID into another (sid_rewrite.c) --- */

/* Replaces, in place, the sub-authorities of every binary SID
 * S-1-5-21-old[-RID...] (matched structurally: revision 1, 4..15
 * sub-authorities, authority 5) by new; returns how many. */
size_t win_sid_rewrite_binary(uint8_t *buf, size_t len, const struct lb_sid3 *old, const struct lb_sid3 *new_sid);

/* Text form: every "S-1-5-21-A-B-C" of old (not followed by a digit) in a
 * UTF-8 string becomes new. Returns a malloc'd copy, or NULL when the text
 * holds no occurrence (or on allocation failure, with *count = -1). */
char *win_sid_rewrite_text(const char *text, const struct lb_sid3 *old, const struct lb_sid3 *new_sid, int *count);

/* Same over UTF-16LE data (REG_SZ, REG_EXPAND_SZ, REG_MULTI_SZ). Returns a
 * malloc'd buffer of *out_len bytes, or NULL when nothing matched. */
uint8_t *win_sid_rewrite_utf16(const uint8_t *data, size_t len, const struct lb_sid3 *old,
			       const struct lb_sid3 *new_sid, size_t *out_len, int *count);

/* Rewrites the SIDs inside every security (sk) cell of a raw hive. */
size_t win_sid_rewrite_sk_cells(uint8_t *hive, size_t len, const struct lb_sid3 *old, const struct lb_sid3 *new_sid);

/* After `win undo` restored the hives of a "newsid OLD -> NEW" operation:
 * puts OLD back into the NTFS security descriptors and folder names. */
int win_newsid_undo_files(struct lb_win *win, const char *what);

#endif
