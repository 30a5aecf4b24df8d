/* Growing a file system to fill its (grown) partition. */
#ifndef LIFEBOAT_FS_GROW_H
#define LIFEBOAT_FS_GROW_H

#include <stdbool.h>
#include <stdint.h>

/* Whether lb_fs_grow knows how to grow fs ("ext2".."ext4", "ntfs"). */
bool lb_fs_can_grow(const char *fs);
/* Grows file system fs lying at bytes [offset, offset + size) of the disk
 * or disk image at path to fill that range; nothing for other file
 * systems. Runs e2fsck -f -p and resize2fs, or ntfsresize --force. */
int lb_fs_grow(const char *path, uint64_t offset, uint64_t size, const char *fs);

#endif
