/* ISO 9660 probe: the primary volume descriptor at 32 KiB. The label is its
 * volume identifier; the UUID, as blkid makes it, is the modification (else
 * creation) time "YYYY-MM-DD-HH-MM-SS-CC". */
#include "probe.h"
#include "lifeboat/bytes.h"

#include <stdio.h>
#include <string.h>

#define ISO_PVD_OFFSET 32768
#define ISO_PVD_SIZE 2048
#define ISO_CREATED 813
#define ISO_MODIFIED 830

/* Sets the UUID from a 16-digit date; false when the date is unset. */
static bool set_uuid_from_date(struct lb_fs_info *fs, const uint8_t *d)
{
	bool all_zero = true;
	for (int i = 0; i < 16; i++)
		if (d[i] != '0')
			all_zero = false;
	if (all_zero || d[0] == 0)
		return false;
	snprintf(fs->uuid, sizeof fs->uuid, "%.4s-%.2s-%.2s-%.2s-%.2s-%.2s-%.2s",
		 (const char *)d, (const char *)d + 4, (const char *)d + 6, (const char *)d + 8,
		 (const char *)d + 10, (const char *)d + 12, (const char *)d + 14);
	return true;
}

int probe_iso9660(const struct probe_source *src, struct lb_fs_info *fs)
{
	if (src->head_len < ISO_PVD_OFFSET + ISO_PVD_SIZE)
		return 0;
	const uint8_t *pvd = src->head + ISO_PVD_OFFSET;
	if (pvd[0] != 1 || memcmp(pvd + 1, "CD001", 5) != 0)
		return 0;
	fs->type = LB_FS_ISO9660;
	probe_set_label(fs, pvd + 40, 32);
	if (!set_uuid_from_date(fs, pvd + ISO_MODIFIED))
		set_uuid_from_date(fs, pvd + ISO_CREATED);
	fs->block_size = lb_le16(pvd + 128);
	fs->size_bytes = (uint64_t)lb_le32(pvd + 80) * fs->block_size;
	return 1;
}
