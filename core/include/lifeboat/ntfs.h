/* NTFS volumes through libntfs-3g without mounting: any lb_dev (a partition
 * of a disk image, a partition image file, a block device) is handed to
 * libntfs-3g as a struct ntfs_device, and paths are looked up ignoring case
 * as Windows does. */
#ifndef LIFEBOAT_NTFS_H
#define LIFEBOAT_NTFS_H

/* libntfs-3g's headers expect its config.h: without these they redefine
 * struct timespec and time(). */
#ifndef HAVE_STDARG_H
#define HAVE_STDARG_H 1
#endif
#include <stdarg.h>
#include <sys/stat.h>
#include <time.h>

#include <ntfs-3g/types.h>
#include <ntfs-3g/device.h>
#include <ntfs-3g/inode.h>
#include <ntfs-3g/volume.h>

#include <stdbool.h>

#include "lifeboat/io.h"

/* Opens the NTFS volume in dev (read-only unless writable; writable needs a
 * device opened with LB_DEV_WRITE). dev must outlive the volume. */
int lb_ntfs_mount(struct lb_dev *dev, bool writable, ntfs_volume **out);

/* Writes back what is pending and releases the volume; 0 or LB_E_IO. */
int lb_ntfs_umount(ntfs_volume *vol);

/* Opens the inode at path ("Windows/System32/config/SYSTEM", '/' or '\\'
 * separated, relative to the root), matching each component ignoring case.
 * LB_E_NOTFOUND when a component does not exist. Close with
 * ntfs_inode_close(). */
int lb_ntfs_open_path(ntfs_volume *vol, const char *path, ntfs_inode **out);

#endif
