/* NTFS probe: the boot sector gives the serial (blkid's UUID) and the size;
 * the volume itself, opened read-only through libntfs-3g, gives the label
 * and tells whether a Windows installation is present (a
 * Windows/System32/config/SYSTEM hive, in any letter case). */
#include "probe.h"
#include "lifeboat/bytes.h"
#include "lifeboat/error.h"
#include "lifeboat/ntfs.h"

#include <stdio.h>
#include <string.h>

#define WINDOWS_SYSTEM_HIVE "Windows/System32/config/SYSTEM"

static void read_volume(struct lb_dev *dev, struct lb_fs_info *fs)
{
	ntfs_volume *vol;
	if (lb_ntfs_mount(dev, false, &vol) < 0) {
		lb_warn("%s (label and Windows check skipped)", lb_error_message());
		return;
	}
	if (vol->vol_name)
		snprintf(fs->label, sizeof fs->label, "%s", vol->vol_name);
	ntfs_inode *ni;
	if (lb_ntfs_open_path(vol, WINDOWS_SYSTEM_HIVE, &ni) == 0) {
		fs->windows_present = !(ni->mrec->flags & MFT_RECORD_IS_DIRECTORY);
		ntfs_inode_close(ni);
	}
	lb_error_clear();
	lb_ntfs_umount(vol);
}

int probe_ntfs(const struct probe_source *src, struct lb_fs_info *fs)
{
	const uint8_t *b = src->head;
	if (src->head_len < 512 || memcmp(b + 3, "NTFS    ", 8) != 0)
		return 0;
	unsigned bytes_per_sector = lb_le16(b + 11), spc = b[13];
	/* Above 0x80 the field is a negative power of two: 2^(256 - spc) sectors. */
	unsigned sectors_per_cluster = spc > 0x80 ? (256 - spc <= 16 ? 1u << (256 - spc) : 0) : spc;
	if (bytes_per_sector < 256 || bytes_per_sector > 4096 || (bytes_per_sector & (bytes_per_sector - 1)) ||
	    sectors_per_cluster == 0)
		return 0;
	fs->type = LB_FS_NTFS;
	fs->block_size = (uint64_t)sectors_per_cluster * bytes_per_sector;
	fs->size_bytes = lb_le64(b + 0x28) * bytes_per_sector;
	snprintf(fs->uuid, sizeof fs->uuid, "%016llX", (unsigned long long)lb_le64(b + 0x48));
	read_volume(src->dev, fs);
	return 1;
}
