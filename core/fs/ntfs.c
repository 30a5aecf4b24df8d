/* Used-block map of NTFS through libntfs-3g (no mount): the clusters set in
 * $Bitmap, plus the backup boot sector after the last cluster. The data of
 * pagefile.sys, hiberfil.sys and swapfile.sys is left out: the files stay,
 * allocated, with their contents not copied. */
#include "fs_backends.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lifeboat/bytes.h"
#include "lifeboat/error.h"
#include "lifeboat/ntfs.h"

#include <ntfs-3g/attrib.h>

#define BITMAP_WINDOW (1u << 20)

static const char *const scratch_files[] = { "pagefile.sys", "hiberfil.sys", "swapfile.sys" };

static int ntfs_probe(const uint8_t *head, uint64_t dev_size)
{
	(void)dev_size;
	return memcmp(head + 3, "NTFS    ", 8) == 0;
}

static int add_cluster_bitmap(ntfs_volume *vol, struct lb_extents *used)
{
	uint8_t *buf = malloc(BITMAP_WINDOW);
	if (!buf)
		return lb_fail(LB_E_NOMEM, "out of memory");
	uint64_t clusters = (uint64_t)vol->nr_clusters;
	int rc = 0;
	for (uint64_t first = 0; rc == 0 && first < clusters; first += (uint64_t)BITMAP_WINDOW * 8) {
		uint64_t n = clusters - first < (uint64_t)BITMAP_WINDOW * 8 ? clusters - first : (uint64_t)BITMAP_WINDOW * 8;
		s64 bytes = (s64)((n + 7) / 8);
		if (ntfs_attr_pread(vol->lcnbmp_na, (s64)(first / 8), bytes, buf) != bytes)
			rc = lb_fail_errno(LB_E_IO, "cannot read $Bitmap");
		else
			rc = lb_fs_add_bitmap(used, buf, n, first, vol->cluster_size, 0);
	}
	free(buf);
	return rc;
}

/* Removes the data clusters of a scratch file, if the volume has it. */
static int skip_file_data(ntfs_volume *vol, const char *name, struct lb_extents *used)
{
	ntfs_inode *ni;
	if (lb_ntfs_open_path(vol, name, &ni) < 0)
		return 0;
	int rc = 0;
	ntfs_attr *na = ntfs_attr_open(ni, AT_DATA, AT_UNNAMED, 0);
	if (na && NAttrNonResident(na) && ntfs_attr_map_whole_runlist(na) == 0) {
		for (runlist_element *rl = na->rl; rc == 0 && rl && rl->length; rl++)
			if (rl->lcn >= 0)
				rc = lb_extents_remove(used, (uint64_t)rl->lcn * vol->cluster_size,
						       (uint64_t)rl->length * vol->cluster_size);
	}
	if (na)
		ntfs_attr_close(na);
	ntfs_inode_close(ni);
	return rc;
}

static int ntfs_map(struct lb_dev *dev, const uint8_t *head, struct lb_fs_map *map)
{
	ntfs_volume *vol;
	int rc = lb_ntfs_mount(dev, false, &vol);
	if (rc < 0)
		return rc;
	map->block_size = vol->cluster_size;
	if (vol->vol_name)
		snprintf(map->label, sizeof map->label, "%s", vol->vol_name);
	rc = add_cluster_bitmap(vol, &map->used);
	for (size_t i = 0; rc == 0 && i < sizeof scratch_files / sizeof scratch_files[0]; i++)
		rc = skip_file_data(vol, scratch_files[i], &map->used);
	uint64_t end = (uint64_t)vol->nr_clusters * vol->cluster_size;
	lb_ntfs_umount(vol);
	/* the backup boot sector follows the last cluster */
	uint64_t fs_end = (lb_le64(head + 0x28) + 1) * lb_le16(head + 0x0B);
	if (fs_end > dev->size)
		fs_end = dev->size;
	if (rc == 0 && fs_end > end)
		rc = lb_extents_add(&map->used, end, fs_end - end);
	return rc;
}

const struct lb_fs_backend lb_fs_ntfs = { "ntfs", ntfs_probe, ntfs_map };
