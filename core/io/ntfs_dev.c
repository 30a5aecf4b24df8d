/* libntfs-3g on top of lb_dev: a struct ntfs_device_operations table whose
 * reads and writes go through any lb_dev, so NTFS volumes inside image
 * files and partitions of disk images open without a kernel mount. */
#include "lifeboat/ntfs.h"
#include "lifeboat/error.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <stdlib.h>
#include <string.h>

#include <ntfs-3g/dir.h>
#include <ntfs-3g/unistr.h>

/* d_private of the devices handed to libntfs-3g. */
struct ntfs_lb_dev {
	struct lb_dev *dev;
	s64 pos;   /* for the seek/read/write calls */
};

static struct ntfs_lb_dev *priv(struct ntfs_device *nd)
{
	return nd->d_private;
}

static int nd_open(struct ntfs_device *nd, int flags)
{
	if (NDevOpen(nd)) {
		errno = EBUSY;
		return -1;
	}
	bool want_write = (flags & O_ACCMODE) != O_RDONLY;
	if (want_write && !priv(nd)->dev->writable) {
		errno = EROFS;
		return -1;
	}
	if (!want_write)
		NDevSetReadOnly(nd);
	priv(nd)->pos = 0;
	NDevSetOpen(nd);
	return 0;
}

static int nd_close(struct ntfs_device *nd)
{
	if (!NDevOpen(nd)) {
		errno = EBADF;
		return -1;
	}
	if (NDevDirty(nd) && lb_dev_flush(priv(nd)->dev) < 0) {
		errno = EIO;
		return -1;
	}
	NDevClearOpen(nd);
	return 0;
}

static s64 nd_seek(struct ntfs_device *nd, s64 offset, int whence)
{
	s64 base = whence == SEEK_SET ? 0 : whence == SEEK_CUR ? priv(nd)->pos : (s64)priv(nd)->dev->size;
	if (whence != SEEK_SET && whence != SEEK_CUR && whence != SEEK_END) {
		errno = EINVAL;
		return -1;
	}
	if (base + offset < 0) {
		errno = EINVAL;
		return -1;
	}
	priv(nd)->pos = base + offset;
	return priv(nd)->pos;
}

/* Clamps a transfer to the end of the device, as read(2) would. */
static s64 clamp(struct lb_dev *dev, s64 count, s64 offset)
{
	if (count < 0 || offset < 0)
		return -1;
	if ((u64)offset >= dev->size)
		return 0;
	return (u64)count > dev->size - (u64)offset ? (s64)(dev->size - (u64)offset) : count;
}

static s64 nd_pread(struct ntfs_device *nd, void *buf, s64 count, s64 offset)
{
	s64 n = clamp(priv(nd)->dev, count, offset);
	if (n < 0) {
		errno = EINVAL;
		return -1;
	}
	if (n > 0 && lb_dev_read(priv(nd)->dev, buf, (size_t)n, (u64)offset) < 0) {
		errno = EIO;
		return -1;
	}
	return n;
}

static s64 nd_pwrite(struct ntfs_device *nd, const void *buf, s64 count, s64 offset)
{
	if (NDevReadOnly(nd)) {
		errno = EROFS;
		return -1;
	}
	s64 n = clamp(priv(nd)->dev, count, offset);
	if (n < 0 || (n == 0 && count > 0)) {
		errno = n < 0 ? EINVAL : ENOSPC;
		return -1;
	}
	if (n > 0 && lb_dev_write(priv(nd)->dev, buf, (size_t)n, (u64)offset) < 0) {
		errno = EIO;
		return -1;
	}
	NDevSetDirty(nd);
	return n;
}

static s64 nd_read(struct ntfs_device *nd, void *buf, s64 count)
{
	s64 n = nd_pread(nd, buf, count, priv(nd)->pos);
	if (n > 0)
		priv(nd)->pos += n;
	return n;
}

static s64 nd_write(struct ntfs_device *nd, const void *buf, s64 count)
{
	s64 n = nd_pwrite(nd, buf, count, priv(nd)->pos);
	if (n > 0)
		priv(nd)->pos += n;
	return n;
}

static int nd_sync(struct ntfs_device *nd)
{
	if (NDevReadOnly(nd) || !NDevDirty(nd))
		return 0;
	if (lb_dev_flush(priv(nd)->dev) < 0) {
		errno = EIO;
		return -1;
	}
	NDevClearDirty(nd);
	return 0;
}

static int nd_stat(struct ntfs_device *nd, struct stat *st)
{
	memset(st, 0, sizeof *st);
	st->st_mode = S_IFREG | 0600;
	st->st_size = (off_t)priv(nd)->dev->size;
	st->st_blksize = (blksize_t)priv(nd)->dev->logical_sector_size;
	return 0;
}

static int nd_ioctl(struct ntfs_device *nd, unsigned long request, void *argp)
{
	struct lb_dev *dev = priv(nd)->dev;
	switch (request) {
	case BLKGETSIZE64:
		*(u64 *)argp = dev->size;
		return 0;
	case BLKGETSIZE:
		*(unsigned long *)argp = (unsigned long)(dev->size / 512);
		return 0;
	case BLKSSZGET:
		*(int *)argp = (int)dev->logical_sector_size;
		return 0;
	case BLKBSZSET:
		return 0;
	default:
		errno = EOPNOTSUPP;
		return -1;
	}
}

static struct ntfs_device_operations lb_ntfs_ops = {
	.open = nd_open,
	.close = nd_close,
	.seek = nd_seek,
	.read = nd_read,
	.write = nd_write,
	.pread = nd_pread,
	.pwrite = nd_pwrite,
	.sync = nd_sync,
	.stat = nd_stat,
	.ioctl = nd_ioctl,
};

/* Why libntfs-3g refused the volume (from errno), in words a user can act on. */
static int mount_failure(const char *path)
{
	int err = errno;
	switch (ntfs_volume_error(err)) {
	case NTFS_VOLUME_HIBERNATED:
		return lb_fail(LB_E_REFUSED, "%s: cannot open the NTFS volume for writing: Windows is hibernated "
			       "or was shut down with Fast Startup (shut it down fully first)", path);
	case NTFS_VOLUME_UNCLEAN_UNMOUNT:
		return lb_fail(LB_E_REFUSED, "%s: cannot open the NTFS volume for writing: it was not closed "
			       "cleanly and its journal holds changes (let Windows or chkdsk finish them)", path);
	case NTFS_VOLUME_NOT_NTFS:
		return lb_fail(LB_E_INVALID, "%s: cannot open the NTFS volume: not NTFS", path);
	case NTFS_VOLUME_CORRUPT:
		return lb_fail(LB_E_INVALID, "%s: cannot open the NTFS volume: its metadata is damaged", path);
	case NTFS_VOLUME_OUT_OF_MEMORY:
		return lb_fail(LB_E_NOMEM, "%s: cannot open the NTFS volume: out of memory", path);
	default:
		errno = err;
		return lb_fail_errno(LB_E_IO, "%s: cannot open the NTFS volume", path);
	}
}

int lb_ntfs_mount(struct lb_dev *dev, bool writable, ntfs_volume **out)
{
	*out = NULL;
	if (writable && !dev->writable)
		return lb_fail(LB_E_USAGE, "%s: opened read-only, cannot open its NTFS volume for writing", dev->path);
	struct ntfs_lb_dev *p = calloc(1, sizeof *p);
	if (!p)
		return lb_fail(LB_E_NOMEM, "%s: out of memory", dev->path);
	p->dev = dev;
	struct ntfs_device *nd = ntfs_device_alloc(dev->path, 0, &lb_ntfs_ops, p);
	if (!nd) {
		free(p);
		return lb_fail_errno(LB_E_NOMEM, "%s", dev->path);
	}
	ntfs_volume *vol = ntfs_device_mount(nd, writable ? NTFS_MNT_NONE : NTFS_MNT_RDONLY);
	if (!vol) {
		int rc = mount_failure(dev->path);
		if (NDevOpen(nd))
			nd_close(nd);
		ntfs_device_free(nd);
		free(p);
		return rc;
	}
	*out = vol;
	return 0;
}

int lb_ntfs_umount(ntfs_volume *vol)
{
	if (!vol)
		return 0;
	struct ntfs_lb_dev *p = vol->dev->d_private;
	char *name = p->dev->path;
	int rc = ntfs_umount(vol, FALSE) == 0 ? 0 : lb_fail_errno(LB_E_IO, "%s: closing the NTFS volume", name);
	free(p);
	return rc;
}

struct name_search {
	ntfs_volume *vol;
	const ntfschar *name;
	int name_len;
	MFT_REF found;
	bool matched;
};

static int match_entry(void *ctx, const ntfschar *name, const int name_len, const int name_type,
		       const s64 pos, const MFT_REF mref, const unsigned dt_type)
{
	struct name_search *s = ctx;
	(void)name_type;
	(void)pos;
	(void)dt_type;
	if (!ntfs_names_are_equal(s->name, (size_t)s->name_len, name, (size_t)name_len, IGNORE_CASE,
				  s->vol->upcase, s->vol->upcase_len))
		return 0;
	s->found = mref;
	s->matched = true;
	return 1;
}

/* Opens the entry of directory dir named component, ignoring case. */
static int open_child(ntfs_volume *vol, ntfs_inode *dir, const char *component, ntfs_inode **out)
{
	ntfschar *uname = NULL;
	int ulen = ntfs_mbstoucs(component, &uname);
	if (ulen < 0)
		return lb_fail(LB_E_INVALID, "%s: not a valid file name", component);
	struct name_search s = { .vol = vol, .name = uname, .name_len = ulen };
	s64 pos = 0;
	int rc = ntfs_readdir(dir, &pos, &s, match_entry);
	free(uname);
	if (rc < 0 && !s.matched)
		return lb_fail_errno(LB_E_IO, "reading a directory of the NTFS volume");
	if (!s.matched)
		return LB_E_NOTFOUND;
	*out = ntfs_inode_open(vol, MREF(s.found));
	if (!*out)
		return lb_fail_errno(LB_E_IO, "%s: cannot open", component);
	return 0;
}

int lb_ntfs_open_path(ntfs_volume *vol, const char *path, ntfs_inode **out)
{
	*out = NULL;
	char *copy = strdup(path);
	if (!copy)
		return lb_fail(LB_E_NOMEM, "out of memory");
	for (char *c = copy; *c; c++)
		if (*c == '\\')
			*c = '/';
	ntfs_inode *ni = ntfs_inode_open(vol, FILE_root);
	int rc = ni ? 0 : lb_fail_errno(LB_E_IO, "%s: cannot open the root directory", path);
	char *save = NULL;
	for (char *comp = strtok_r(copy, "/", &save); rc == 0 && comp; comp = strtok_r(NULL, "/", &save)) {
		ntfs_inode *child;
		if (!(ni->mrec->flags & MFT_RECORD_IS_DIRECTORY))
			rc = lb_fail(LB_E_NOTFOUND, "%s: not found on the NTFS volume (a component is not a directory)", path);
		else if ((rc = open_child(vol, ni, comp, &child)) == LB_E_NOTFOUND)
			rc = lb_fail(LB_E_NOTFOUND, "%s: not found on the NTFS volume", path);
		if (rc == 0) {
			ntfs_inode_close(ni);
			ni = child;
		}
	}
	free(copy);
	if (rc < 0) {
		if (ni)
			ntfs_inode_close(ni);
		return rc;
	}
	*out = ni;
	return 0;
}
