/* BitLocker volume probe: the "-FVE-FS-" OEM name of its boot sector. The
 * volume's content is encrypted; it has no readable label or UUID. */
#include "probe.h"

#include <string.h>

int probe_bitlocker(const struct probe_source *src, struct lb_fs_info *fs)
{
	if (src->head_len < 512 || memcmp(src->head + 3, "-FVE-FS-", 8) != 0)
		return 0;
	fs->type = LB_FS_BITLOCKER;
	return 1;
}
