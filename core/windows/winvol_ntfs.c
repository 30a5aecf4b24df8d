/* NTFS backend of the offline Windows volume: libntfs-3g on the partition
 * without mounting it. Opened read-only; the first write re-opens it
 * read-write. Names are matched case-insensitively (ntfs_set_ignore_case),
 * existing files are rewritten in their own inode, new files get the
 * security descriptor their directory passes on. */
#define HAVE_STDARG_H 1
#include <stdarg.h>
#include <sys/stat.h>
#include <time.h>

#include <ntfs-3g/types.h>
#include <ntfs-3g/attrib.h>
#include <ntfs-3g/dir.h>
#include <ntfs-3g/inode.h>
#include <ntfs-3g/layout.h>
#include <ntfs-3g/security.h>
#include <ntfs-3g/unistr.h>
#include <ntfs-3g/volume.h>

#include "winvol_backend.h"
#include "lifeboat/error.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct ntfs_priv {
	ntfs_volume *nv;
	bool rw;
	struct SECURITY_CONTEXT scx;        /* for the security API */
	struct PERMISSIONS_CACHE *seccache; /* its cache, freed at unmount */
};

static struct ntfs_priv *priv_of(struct lb_winvol *vol)
{
	return vol->priv;
}

static int mount_target(struct lb_winvol *vol, bool rw)
{
	struct ntfs_priv *p = priv_of(vol);
	p->nv = ntfs_mount(vol->target, rw ? NTFS_MNT_NONE : NTFS_MNT_RDONLY);
	if (!p->nv) {
		if (errno == EPERM && rw)
			return lb_fail(LB_E_REFUSED, "%s: NTFS volume is hibernated or was not shut down "
				       "cleanly; boot Windows and shut it down fully (Fast Startup off)", vol->target);
		return lb_fail_errno(LB_E_INVALID, "%s: cannot open as an NTFS volume", vol->target);
	}
	p->rw = rw;
	ntfs_set_ignore_case(p->nv);
	memset(&p->scx, 0, sizeof p->scx);
	p->scx.vol = p->nv;
	p->scx.pseccache = &p->seccache;
	return 0;
}

static int unmount_target(struct ntfs_priv *p)
{
	if (!p->nv)
		return 0;
	ntfs_destroy_security_context(&p->scx);
	p->seccache = NULL;
	int rc = ntfs_umount(p->nv, FALSE);
	p->nv = NULL;
	return rc;
}

static int make_writable(struct lb_winvol *vol)
{
	struct ntfs_priv *p = priv_of(vol);
	if (p->rw)
		return 0;
	unmount_target(p);
	return mount_target(vol, true);
}

static ntfs_inode *open_path(struct lb_winvol *vol, const char *path)
{
	struct ntfs_priv *p = priv_of(vol);
	ntfs_inode *ni = path[0] ? ntfs_pathname_to_inode(p->nv, NULL, path) : ntfs_inode_open(p->nv, FILE_root);
	if (!ni)
		lb_fail(LB_E_NOTFOUND, "%s: not found on %s", path, vol->target);
	return ni;
}

static int ntfs_stat_path(struct lb_winvol *vol, const char *path, struct lb_winvol_stat *st)
{
	ntfs_inode *ni = open_path(vol, path);
	if (!ni)
		return LB_E_NOTFOUND;
	st->is_dir = (ni->mrec->flags & MFT_RECORD_IS_DIRECTORY) != 0;
	st->size = st->is_dir ? 0 : (uint64_t)ni->data_size;
	ntfs_inode_close(ni);
	return 0;
}

static int ntfs_read_path(struct lb_winvol *vol, const char *path, void *buf, size_t len, uint64_t off,
			  size_t *got)
{
	*got = 0;
	ntfs_inode *ni = open_path(vol, path);
	if (!ni)
		return LB_E_NOTFOUND;
	int rc = 0;
	ntfs_attr *na = ntfs_attr_open(ni, AT_DATA, AT_UNNAMED, 0);
	if (!na)
		rc = lb_fail_errno(LB_E_IO, "%s: no data", path);
	while (na && *got < len && (s64)(off + *got) < na->data_size) {
		s64 n = ntfs_attr_pread(na, (s64)(off + *got), (s64)(len - *got), (char *)buf + *got);
		if (n <= 0) {
			rc = lb_fail_errno(LB_E_IO, "read %s", path);
			break;
		}
		*got += (size_t)n;
	}
	if (na)
		ntfs_attr_close(na);
	ntfs_inode_close(ni);
	return rc;
}


/* Creates name in the parent directory of path with the inherited SD. */
static ntfs_inode *create_entry(struct lb_winvol *vol, const char *path, mode_t type)
{
	char *parent;
	const char *name;
	if (lb_winvol_split(path, &parent, &name) < 0)
		return NULL;
	ntfs_inode *dir = open_path(vol, parent), *ni = NULL;
	ntfschar *uname = NULL;
	int ulen = ntfs_mbstoucs(name, &uname);
	if (dir && ulen > 0) {
		le32 securid = ntfs_inherited_id(&priv_of(vol)->scx, dir, type == S_IFDIR);
		ni = ntfs_create(dir, securid, uname, (u8)ulen, type);
		if (!ni)
			lb_fail_errno(LB_E_IO, "create %s", path);
	} else if (dir) {
		lb_fail(LB_E_INVALID, "%s: name cannot be stored on NTFS", path);
	}
	free(uname);
	if (dir)
		ntfs_inode_close(dir);
	free(parent);
	return ni;
}

static int device_sync(struct lb_winvol *vol)
{
	ntfs_volume *nv = priv_of(vol)->nv;
	if (nv->dev->d_ops->sync(nv->dev) < 0)
		return lb_fail_errno(LB_E_IO, "%s: flush", vol->target);
	return 0;
}

static int ntfs_write_path(struct lb_winvol *vol, const char *path, const void *buf, size_t len,
			   enum winvol_write_mode mode)
{
	int rc = make_writable(vol);
	if (rc < 0)
		return rc;
	ntfs_inode *ni = mode == WINVOL_CREATE ? NULL : ntfs_pathname_to_inode(priv_of(vol)->nv, NULL, path);
	if (!ni && mode == WINVOL_OVERWRITE)
		return lb_fail(LB_E_NOTFOUND, "%s: not found on %s", path, vol->target);
	if (!ni && !(ni = create_entry(vol, path, S_IFREG)))
		return LB_E_IO;
	ntfs_attr *na = ntfs_attr_open(ni, AT_DATA, AT_UNNAMED, 0);
	if (!na) {
		ntfs_inode_close(ni);
		return lb_fail_errno(LB_E_IO, "%s: no data stream", path);
	}
	s64 at = mode == WINVOL_APPEND ? na->data_size : 0;
	for (size_t done = 0; rc == 0 && done < len;) {
		s64 n = ntfs_attr_pwrite(na, at + (s64)done, (s64)(len - done), (const char *)buf + done);
		if (n <= 0)
			rc = lb_fail_errno(LB_E_IO, "write %s", path);
		else
			done += (size_t)n;
	}
	if (rc == 0 && mode == WINVOL_OVERWRITE && na->data_size > (s64)len && ntfs_attr_truncate(na, (s64)len))
		rc = lb_fail_errno(LB_E_IO, "truncate %s", path);
	ntfs_attr_close(na);
	if (ntfs_inode_close(ni) && rc == 0)
		rc = lb_fail_errno(LB_E_IO, "write %s", path);
	return rc < 0 ? rc : device_sync(vol);
}

static int ntfs_mkdir_path(struct lb_winvol *vol, const char *path)
{
	int rc = make_writable(vol);
	if (rc < 0)
		return rc;
	ntfs_inode *ni = create_entry(vol, path, S_IFDIR);
	if (!ni)
		return LB_E_IO;
	ntfs_inode_close(ni);
	return 0;
}

/* Removes the link name (last component of path) of an open inode ni. */
static int unlink_name(struct lb_winvol *vol, const char *path, ntfs_inode *ni)
{
	char *parent;
	const char *name;
	int rc = lb_winvol_split(path, &parent, &name);
	if (rc < 0) {
		ntfs_inode_close(ni);
		return rc;
	}
	ntfs_inode *dir = open_path(vol, parent);
	ntfschar *uname = NULL;
	int ulen = ntfs_mbstoucs(name, &uname);
	if (!dir || ulen <= 0) {
		rc = dir ? lb_fail(LB_E_INVALID, "%s: bad name", path) : LB_E_NOTFOUND;
		if (dir)
			ntfs_inode_close(dir);
		ntfs_inode_close(ni);
	} else if (ntfs_delete(priv_of(vol)->nv, path, ni, dir, uname, (u8)ulen)) {
		rc = lb_fail_errno(LB_E_IO, "remove %s", path);  /* ntfs_delete closed both */
	}
	free(uname);
	free(parent);
	return rc;
}

static int ntfs_remove_path(struct lb_winvol *vol, const char *path)
{
	int rc = make_writable(vol);
	if (rc < 0)
		return rc;
	ntfs_inode *ni = open_path(vol, path);
	return ni ? unlink_name(vol, path, ni) : LB_E_NOTFOUND;
}

static int ntfs_rename_path(struct lb_winvol *vol, const char *path, const char *new_name)
{
	int rc = make_writable(vol);
	if (rc < 0)
		return rc;
	char *parent;
	const char *name;
	if ((rc = lb_winvol_split(path, &parent, &name)) < 0)
		return rc;
	ntfs_inode *ni = open_path(vol, path), *dir = ni ? open_path(vol, parent) : NULL;
	ntfschar *uname = NULL;
	int ulen = ntfs_mbstoucs(new_name, &uname);
	if (!ni || !dir)
		rc = LB_E_NOTFOUND;
	else if (ulen <= 0)
		rc = lb_fail(LB_E_INVALID, "%s: bad name", new_name);
	else if (ntfs_link(ni, dir, uname, (u8)ulen))
		rc = lb_fail_errno(LB_E_IO, "rename %s to %s", path, new_name);
	free(uname);
	free(parent);
	if (dir)
		ntfs_inode_close(dir);
	if (rc < 0) {
		if (ni)
			ntfs_inode_close(ni);
		return rc;
	}
	return unlink_name(vol, path, ni);
}

struct list_ctx {
	int (*fn)(void *ctx, const char *name, bool is_dir);
	void *ctx;
	int rc;
};

static int list_entry(void *dirent, const ntfschar *name, const int name_len, const int name_type,
		      const s64 pos, const MFT_REF mref, const unsigned dt_type)
{
	(void)pos;
	(void)mref;
	struct list_ctx *lc = dirent;
	if (name_type == FILE_NAME_DOS)
		return 0;
	char *mb = NULL;
	if (ntfs_ucstombs(name, name_len, &mb, 0) < 0)
		return 0;
	if (strcmp(mb, ".") != 0 && strcmp(mb, "..") != 0)
		lc->rc = lc->fn(lc->ctx, mb, dt_type == NTFS_DT_DIR);
	free(mb);
	return lc->rc;
}

static int ntfs_list_path(struct lb_winvol *vol, const char *path,
			  int (*fn)(void *ctx, const char *name, bool is_dir), void *ctx)
{
	ntfs_inode *ni = open_path(vol, path);
	if (!ni)
		return LB_E_NOTFOUND;
	struct list_ctx lc = { fn, ctx, 0 };
	s64 pos = 0;
	ntfs_volume *nv = priv_of(vol)->nv;
	ntfschar *locase = nv->locase;
	nv->locase = NULL;  /* ignore-case mode would show 8.3-fitting names in lower case */
	int failed = ntfs_readdir(ni, &pos, &lc, list_entry);
	nv->locase = locase;
	if (failed && lc.rc == 0)
		lc.rc = lb_fail_errno(LB_E_IO, "list %s", path);
	ntfs_inode_close(ni);
	return lc.rc;
}

static int ntfs_get_sd_path(struct lb_winvol *vol, const char *path, uint8_t **sd, size_t *len)
{
	ntfs_inode *ni = open_path(vol, path);
	if (!ni)
		return LB_E_NOTFOUND;
	struct SECURITY_CONTEXT *scx = &priv_of(vol)->scx;
	int rc = 0;
	int n = ntfs_get_ntfs_acl(scx, ni, NULL, 0);
	uint8_t *buf = n > 0 ? malloc((size_t)n) : NULL;
	if (!buf || ntfs_get_ntfs_acl(scx, ni, (char *)buf, (size_t)n) != n) {
		free(buf);
		rc = lb_fail(LB_E_IO, "%s: cannot read the security descriptor", path);
	} else {
		*sd = buf;
		*len = (size_t)n;
	}
	ntfs_inode_close(ni);
	return rc;
}

static int ntfs_set_sd_path(struct lb_winvol *vol, const char *path, const uint8_t *sd, size_t len)
{
	int rc = make_writable(vol);
	if (rc < 0)
		return rc;
	ntfs_inode *ni = open_path(vol, path);
	if (!ni)
		return LB_E_NOTFOUND;
	if (ntfs_set_ntfs_acl(&priv_of(vol)->scx, ni, (const char *)sd, len, 0))
		rc = lb_fail_errno(LB_E_IO, "%s: cannot set the security descriptor", path);
	if (ntfs_inode_close(ni) && rc == 0)
		rc = lb_fail_errno(LB_E_IO, "%s: cannot set the security descriptor", path);
	return rc;
}

static int ntfs_sync_volume(struct lb_winvol *vol)
{
	return priv_of(vol)->rw ? device_sync(vol) : 0;
}

static int ntfs_close_volume(struct lb_winvol *vol)
{
	struct ntfs_priv *p = priv_of(vol);
	int rc = 0;
	if (unmount_target(p))
		rc = lb_fail_errno(LB_E_IO, "%s: closing the NTFS volume", vol->target);
	free(p);
	return rc;
}

static const struct lb_winvol_ops ntfs_ops = {
	.kind = "ntfs",
	.stat = ntfs_stat_path,
	.read_at = ntfs_read_path,
	.write = ntfs_write_path,
	.mkdir = ntfs_mkdir_path,
	.remove = ntfs_remove_path,
	.rename = ntfs_rename_path,
	.list = ntfs_list_path,
	.get_sd = ntfs_get_sd_path,
	.set_sd = ntfs_set_sd_path,
	.sync = ntfs_sync_volume,
	.close = ntfs_close_volume,
};

/* BitLocker puts "-FVE-FS-" where NTFS has its OEM id. */
static int refuse_bitlocker(const char *target)
{
	char oem[8];
	int fd = open(target, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return lb_fail_errno(LB_E_NOTFOUND, "%s", target);
	ssize_t n = pread(fd, oem, sizeof oem, 3);
	close(fd);
	if (n == (ssize_t)sizeof oem && memcmp(oem, "-FVE-FS-", 8) == 0)
		return lb_fail(LB_E_REFUSED, "%s: BitLocker-encrypted volume; in Windows run "
			       "'manage-bde -off C:' (or suspend and decrypt it) first", target);
	return 0;
}

int lb_winvol_ntfs_open(const char *target, struct lb_winvol *vol)
{
	int rc = refuse_bitlocker(target);
	if (rc < 0)
		return rc;
	if (!(vol->priv = calloc(1, sizeof(struct ntfs_priv))))
		return lb_fail(LB_E_NOMEM, "out of memory");
	vol->ops = &ntfs_ops;
	if ((rc = mount_target(vol, false)) < 0) {
		free(vol->priv);
		vol->priv = NULL;
	}
	return rc;
}
