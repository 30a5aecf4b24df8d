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

/* UTF-16LE (units code units, stops at NUL) to UTF-8 into out (always terminated). */
void win_utf16_to_utf8(const uint8_t *in, size_t units, char *out, size_t outlen);

#endif
