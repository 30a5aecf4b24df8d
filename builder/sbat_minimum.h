/* The lowest SBAT generation lifeboat-build accepts for each component of
 * the boot chain, whatever shim's own revocation list says (see
 * sbat_minimum.c for where each number comes from). */
#ifndef LIFEBOAT_BUILD_SBAT_MINIMUM_H
#define LIFEBOAT_BUILD_SBAT_MINIMUM_H

#include "lifeboat/strbuf.h"

struct sbat_minimum {
	const char *component;  /* first field of an SBAT line: "shim", "grub" */
	int generation;
	const char *source;     /* why this number */
};

/* Ends with a NULL component. */
extern const struct sbat_minimum sbat_minimum[];

/* Appends the table as SBAT level lines, "component,generation\n". */
void sbat_minimum_levels(struct lb_strbuf *out);

#endif
