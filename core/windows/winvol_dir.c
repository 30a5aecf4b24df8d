/* Directory backend of the offline Windows volume: a mounted or copied
 * volume root reached with POSIX calls, names matched case-insensitively.
 * On an ntfs-3g mount the security descriptors are its "system.ntfs_acl"
 * extended attribute. */
#include "winvol_backend.h"
#include "lifeboat/error.h"
#include "lifeboat/strbuf.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

#define NTFS_ACL_XATTR "system.ntfs_acl"

/* The on-disk spelling of name inside dir, or NULL (errno ENOENT). */
static char *match_entry(const char *dir, const char *name)
{
	DIR *d = opendir(dir);
	if (!d)
		return NULL;
	char *found = NULL;
	struct dirent *de;
	while (!found && (de = readdir(d)))
		if (strcasecmp(de->d_name, name) == 0)
			found = strdup(de->d_name);
	closedir(d);
	if (!found)
		errno = ENOENT;
	return found;
}

/* Host path of a volume path, every component resolved; for must_exist=false
 * the last component is kept as given when it does not exist yet. */
static int host_path(struct lb_winvol *vol, const char *path, bool must_exist, char **out)
{
	struct lb_strbuf sb;
	lb_strbuf_init(&sb);
	lb_strbuf_puts(&sb, vol->target);
	for (const char *p = path; *p;) {
		size_t n = strcspn(p, "/");
		char *name = strndup(p, n);
		struct stat st;
		size_t base = sb.len;
		lb_strbuf_printf(&sb, "/%s", name ? name : "");
		if (name && lstat(lb_strbuf_str(&sb), &st) < 0) {
			sb.len = base;
			sb.data[base] = '\0';
			char *real = match_entry(lb_strbuf_str(&sb), name);
			bool last = p[n] == '\0';
			if (!real && !(last && !must_exist)) {
				free(name);
				lb_strbuf_free(&sb);
				return lb_fail(LB_E_NOTFOUND, "%s: not found on %s", path, vol->target);
			}
			lb_strbuf_printf(&sb, "/%s", real ? real : name);
			free(real);
		}
		free(name);
		p += n;
		if (*p == '/')
			p++;
	}
	if (sb.failed) {
		lb_strbuf_free(&sb);
		return lb_fail(LB_E_NOMEM, "out of memory");
	}
	*out = sb.data;
	return 0;
}

static int dir_stat(struct lb_winvol *vol, const char *path, struct lb_winvol_stat *st)
{
	char *hp;
	int rc = host_path(vol, path, true, &hp);
	if (rc < 0)
		return rc;
	struct stat s;
	if (stat(hp, &s) < 0)
		rc = lb_fail_errno(LB_E_IO, "%s", hp);
	else {
		st->is_dir = S_ISDIR(s.st_mode);
		st->size = (uint64_t)s.st_size;
	}
	free(hp);
	return rc;
}

static int dir_read_at(struct lb_winvol *vol, const char *path, void *buf, size_t len, uint64_t off,
		       size_t *got)
{
	char *hp;
	int rc = host_path(vol, path, true, &hp);
	if (rc < 0)
		return rc;
	int fd = open(hp, O_RDONLY | O_CLOEXEC);
	*got = 0;
	if (fd < 0)
		rc = lb_fail_errno(LB_E_IO, "%s", hp);
	while (fd >= 0 && *got < len) {
		ssize_t n = pread(fd, (char *)buf + *got, len - *got, (off_t)(off + *got));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			rc = lb_fail_errno(LB_E_IO, "read %s", hp);
		if (n <= 0)
			break;
		*got += (size_t)n;
	}
	if (fd >= 0)
		close(fd);
	free(hp);
	return rc;
}

static int write_all(int fd, const void *buf, size_t len, const char *what)
{
	for (size_t done = 0; done < len;) {
		ssize_t n = write(fd, (const char *)buf + done, len - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return lb_fail_errno(LB_E_IO, "write %s", what);
		done += (size_t)n;
	}
	return 0;
}

/* Makes a new directory entry durable. */
static int fsync_parent(const char *hp)
{
	char *dir = strdup(hp);
	if (!dir)
		return lb_fail(LB_E_NOMEM, "out of memory");
	*strrchr(dir, '/') = '\0';
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC), rc = 0;
	if (fd < 0 || fsync(fd) < 0)
		rc = lb_fail_errno(LB_E_IO, "fsync %s", dir);
	if (fd >= 0)
		close(fd);
	free(dir);
	return rc;
}

static int dir_write(struct lb_winvol *vol, const char *path, const void *buf, size_t len,
		     enum winvol_write_mode mode)
{
	char *hp;
	int rc = host_path(vol, path, mode == WINVOL_OVERWRITE, &hp);
	if (rc < 0)
		return rc;
	int oflags = O_WRONLY | O_CLOEXEC;
	if (mode == WINVOL_CREATE)
		oflags |= O_CREAT | O_EXCL;
	else if (mode == WINVOL_APPEND)
		oflags |= O_CREAT | O_APPEND;
	int fd = open(hp, oflags, 0644);
	if (fd < 0)
		rc = lb_fail_errno(LB_E_IO, "%s", hp);
	else {
		rc = write_all(fd, buf, len, hp);
		if (rc == 0 && mode == WINVOL_OVERWRITE && ftruncate(fd, (off_t)len) < 0)
			rc = lb_fail_errno(LB_E_IO, "truncate %s", hp);
		if (rc == 0 && fsync(fd) < 0)
			rc = lb_fail_errno(LB_E_IO, "fsync %s", hp);
		close(fd);
	}
	if (rc == 0 && mode != WINVOL_OVERWRITE)
		rc = fsync_parent(hp);
	free(hp);
	return rc;
}

static int dir_mkdir(struct lb_winvol *vol, const char *path)
{
	char *hp;
	int rc = host_path(vol, path, false, &hp);
	if (rc < 0)
		return rc;
	if (mkdir(hp, 0755) < 0)
		rc = lb_fail_errno(LB_E_IO, "mkdir %s", hp);
	free(hp);
	return rc;
}

static int dir_remove(struct lb_winvol *vol, const char *path)
{
	char *hp;
	int rc = host_path(vol, path, true, &hp);
	if (rc < 0)
		return rc;
	if (remove(hp) < 0)
		rc = lb_fail_errno(LB_E_IO, "remove %s", hp);
	free(hp);
	return rc;
}

static int dir_rename(struct lb_winvol *vol, const char *path, const char *new_name)
{
	char *hp;
	int rc = host_path(vol, path, true, &hp);
	if (rc < 0)
		return rc;
	char *to = NULL;
	const char *slash = strrchr(hp, '/');
	if (asprintf(&to, "%.*s/%s", (int)(slash - hp), hp, new_name) < 0)
		rc = lb_fail(LB_E_NOMEM, "out of memory");
	else if (rename(hp, to) < 0)
		rc = lb_fail_errno(LB_E_IO, "rename %s", hp);
	free(to);
	free(hp);
	return rc;
}

static int dir_list(struct lb_winvol *vol, const char *path,
		    int (*fn)(void *ctx, const char *name, bool is_dir), void *ctx)
{
	char *hp;
	int rc = host_path(vol, path, true, &hp);
	if (rc < 0)
		return rc;
	DIR *d = opendir(hp);
	if (!d) {
		rc = lb_fail_errno(LB_E_IO, "%s", hp);
		free(hp);
		return rc;
	}
	struct dirent *de;
	while (rc == 0 && (de = readdir(d))) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		bool is_dir = de->d_type == DT_DIR;
		if (de->d_type == DT_UNKNOWN) {
			struct stat st;
			is_dir = fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISDIR(st.st_mode);
		}
		rc = fn(ctx, de->d_name, is_dir);
	}
	closedir(d);
	free(hp);
	return rc;
}

static int dir_get_sd(struct lb_winvol *vol, const char *path, uint8_t **sd, size_t *len)
{
	char *hp;
	int rc = host_path(vol, path, true, &hp);
	if (rc < 0)
		return rc;
	ssize_t n = lgetxattr(hp, NTFS_ACL_XATTR, NULL, 0);
	uint8_t *buf = n > 0 ? malloc((size_t)n) : NULL;
	if (n > 0 && buf)
		n = lgetxattr(hp, NTFS_ACL_XATTR, buf, (size_t)n);
	if (n <= 0 || !buf) {
		free(buf);
		rc = lb_fail(LB_E_UNSUPPORTED, "%s: no NTFS security descriptor (not an ntfs-3g mount)", hp);
	} else {
		*sd = buf;
		*len = (size_t)n;
	}
	free(hp);
	return rc;
}

static int dir_set_sd(struct lb_winvol *vol, const char *path, const uint8_t *sd, size_t len)
{
	char *hp;
	int rc = host_path(vol, path, true, &hp);
	if (rc < 0)
		return rc;
	if (lsetxattr(hp, NTFS_ACL_XATTR, sd, len, 0) < 0)
		rc = lb_fail_errno(LB_E_IO, "%s: set security descriptor", hp);
	free(hp);
	return rc;
}

/* Every write fsyncs its file (and a new file's directory) already. */
static int dir_sync(struct lb_winvol *vol)
{
	(void)vol;
	return 0;
}

static int dir_close(struct lb_winvol *vol)
{
	(void)vol;
	return 0;
}

static const struct lb_winvol_ops dir_ops = {
	.kind = "directory",
	.stat = dir_stat,
	.read_at = dir_read_at,
	.write = dir_write,
	.mkdir = dir_mkdir,
	.remove = dir_remove,
	.rename = dir_rename,
	.list = dir_list,
	.get_sd = dir_get_sd,
	.set_sd = dir_set_sd,
	.sync = dir_sync,
	.close = dir_close,
};

int lb_winvol_dir_open(struct lb_winvol *vol)
{
	size_t n = strlen(vol->target);
	while (n > 1 && vol->target[n - 1] == '/')
		vol->target[--n] = '\0';
	vol->ops = &dir_ops;
	return 0;
}
