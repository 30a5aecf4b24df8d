/* The documented minimum SBAT table. A binary whose .sbat section names one
 * of these components with a lower generation is revoked somewhere in the
 * field and fails the build (and `lifeboat-build verify`). The build also
 * applies the "latest" level embedded in the shim it ships (.sbatlevel),
 * so a newer shim raises the bar on its own; this table is the floor for
 * an --efi-dir holding older binaries.
 *
 * Sources: the SbatLevel revocations distributed by shim and Microsoft
 * (rhboot/shim SbatLevel_Variable.txt); the latest one shipped in Debian
 * 12's shim 16.1 (sbat,1,2025051000) lists shim,4 and grub,5.
 * Raise a number here when a new SbatLevel revokes a generation. */
#include "sbat_minimum.h"

const struct sbat_minimum sbat_minimum[] = {
	{ "shim", 4, "SbatLevel 2025021800 and 2025051000 (in Debian 12's shim 16.1): shim,4" },
	{ "grub", 5, "SbatLevel 2025021800 and 2025051000 (in Debian 12's shim 16.1): grub,5" },
	{ 0, 0, 0 },
};

void sbat_minimum_levels(struct lb_strbuf *out)
{
	for (const struct sbat_minimum *m = sbat_minimum; m->component; m++)
		lb_strbuf_printf(out, "%s,%d\n", m->component, m->generation);
}
