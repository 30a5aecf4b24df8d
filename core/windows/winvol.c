/* Offline Windows volumes: opening a target with the right backend, path
 * checks, and the dispatch through struct lb_winvol_ops. */
#include "winvol_backend.h"
#include "lifeboat/error.h"
#include "lifeboat/strbuf.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

int lb_winvol_open(const char *target, int flags, struct lb_winvol **out)
{
	struct stat st;
	*out = NULL;
	struct lb_winvol *vol = calloc(1, sizeof *vol);
	if (!vol || !(vol->target = strdup(target))) {
		free(vol);
		return lb_fail(LB_E_NOMEM, "out of memory");
	}
	vol->writable = (flags & LB_WINVOL_WRITE) != 0;
	int rc;
	if (stat(target, &st) == 0 && S_ISDIR(st.st_mode))
		rc = lb_winvol_dir_open(vol);
	else if (lb_winvol_is_fat(target))
		rc = lb_winvol_fat_open(vol);
	else
		rc = lb_winvol_ntfs_open(vol);
	if (rc < 0) {
		free(vol->target);
		free(vol);
		return rc;
	}
	*out = vol;
	return 0;
}

int lb_winvol_close(struct lb_winvol *vol)
{
	if (!vol)
		return 0;
	int rc = vol->ops->close(vol);
	free(vol->target);
	free(vol);
	return rc;
}

const char *lb_winvol_kind(const struct lb_winvol *vol)
{
	return vol->ops->kind;
}

const char *lb_winvol_target(const struct lb_winvol *vol)
{
	return vol->target;
}

/* Rejects paths the backends must never see: absolute, empty, "." or "..". */
static int check_path(const char *path)
{
	if (path[0] == '/')
		return lb_fail(LB_E_USAGE, "%s: volume paths are relative to the volume root", path);
	for (const char *p = path; *p;) {
		size_t n = strcspn(p, "/");
		if (n == 0 || (n == 1 && p[0] == '.') || (n == 2 && p[0] == '.' && p[1] == '.'))
			return lb_fail(LB_E_USAGE, "%s: invalid volume path", path);
		p += n;
		if (*p == '/')
			p++;
	}
	return 0;
}

static int check_write(struct lb_winvol *vol, const char *path)
{
	if (!vol->writable)
		return lb_fail(LB_E_REFUSED, "%s: the volume was opened read-only", path);
	return check_path(path);
}

int lb_winvol_split(const char *path, char **parent, const char **name)
{
	const char *slash = strrchr(path, '/');
	*name = slash ? slash + 1 : path;
	*parent = strndup(path, slash ? (size_t)(slash - path) : 0);
	return *parent ? 0 : lb_fail(LB_E_NOMEM, "out of memory");
}

int lb_winvol_stat(struct lb_winvol *vol, const char *path, struct lb_winvol_stat *st)
{
	if (path[0] == '\0') {
		st->is_dir = true;
		st->size = 0;
		return 0;
	}
	int rc = check_path(path);
	return rc < 0 ? rc : vol->ops->stat(vol, path, st);
}

bool lb_winvol_exists(struct lb_winvol *vol, const char *path)
{
	struct lb_winvol_stat st;
	return lb_winvol_stat(vol, path, &st) == 0;
}

struct match {
	const char *want;
	size_t want_len;
	char *found;
};

static int match_name(void *ctx, const char *name, bool is_dir)
{
	(void)is_dir;
	struct match *m = ctx;
	if (strlen(name) != m->want_len || strncasecmp(name, m->want, m->want_len) != 0)
		return 0;
	m->found = strdup(name);
	return 1;
}

int lb_winvol_resolve(struct lb_winvol *vol, const char *path, char **actual)
{
	int rc = check_path(path);
	if (rc < 0)
		return rc;
	struct lb_strbuf sb;
	lb_strbuf_init(&sb);
	for (const char *p = path; *p && rc == 0;) {
		struct match m = { p, strcspn(p, "/"), NULL };
		char *dir = strndup(sb.data ? sb.data : "", sb.len);
		if (!dir || vol->ops->list(vol, dir, match_name, &m) < 0 || !m.found)
			rc = lb_fail(LB_E_NOTFOUND, "%s: not found on %s", path, vol->target);
		else
			lb_strbuf_printf(&sb, "%s%s", sb.len ? "/" : "", m.found);
		free(m.found);
		free(dir);
		p += m.want_len;
		if (*p == '/')
			p++;
	}
	if (rc == 0 && sb.failed)
		rc = lb_fail(LB_E_NOMEM, "out of memory");
	if (rc < 0) {
		lb_strbuf_free(&sb);
		return rc;
	}
	*actual = sb.data ? sb.data : strdup("");
	return *actual ? 0 : lb_fail(LB_E_NOMEM, "out of memory");
}

int lb_winvol_read_at(struct lb_winvol *vol, const char *path, void *buf, size_t len, uint64_t off,
		      size_t *got)
{
	int rc = check_path(path);
	return rc < 0 ? rc : vol->ops->read_at(vol, path, buf, len, off, got);
}

int lb_winvol_read(struct lb_winvol *vol, const char *path, uint8_t **buf, size_t *len)
{
	struct lb_winvol_stat st;
	*buf = NULL;
	*len = 0;
	int rc = lb_winvol_stat(vol, path, &st);
	if (rc < 0)
		return rc;
	if (st.is_dir)
		return lb_fail(LB_E_INVALID, "%s: is a directory", path);
	uint8_t *data = malloc(st.size + 1);
	if (!data)
		return lb_fail(LB_E_NOMEM, "%s: out of memory (%llu bytes)", path, (unsigned long long)st.size);
	size_t got = 0;
	rc = vol->ops->read_at(vol, path, data, st.size, 0, &got);
	if (rc == 0 && got != st.size)
		rc = lb_fail(LB_E_TRUNCATED, "%s: short read", path);
	if (rc < 0) {
		free(data);
		return rc;
	}
	data[got] = 0;
	*buf = data;
	*len = got;
	return 0;
}

int lb_winvol_overwrite(struct lb_winvol *vol, const char *path, const void *buf, size_t len)
{
	int rc = check_write(vol, path);
	return rc < 0 ? rc : vol->ops->write(vol, path, buf, len, WINVOL_OVERWRITE);
}

int lb_winvol_create(struct lb_winvol *vol, const char *path, const void *buf, size_t len)
{
	int rc = check_write(vol, path);
	if (rc == 0 && lb_winvol_exists(vol, path))
		rc = lb_fail(LB_E_REFUSED, "%s: already exists", path);
	return rc < 0 ? rc : vol->ops->write(vol, path, buf, len, WINVOL_CREATE);
}

int lb_winvol_append(struct lb_winvol *vol, const char *path, const void *buf, size_t len)
{
	int rc = check_write(vol, path);
	return rc < 0 ? rc : vol->ops->write(vol, path, buf, len, WINVOL_APPEND);
}

int lb_winvol_mkdirs(struct lb_winvol *vol, const char *path)
{
	int rc = check_write(vol, path);
	if (rc < 0 || lb_winvol_exists(vol, path))
		return rc;
	char *parent;
	const char *name;
	if ((rc = lb_winvol_split(path, &parent, &name)) < 0)
		return rc;
	if (parent[0])
		rc = lb_winvol_mkdirs(vol, parent);
	free(parent);
	return rc < 0 ? rc : vol->ops->mkdir(vol, path);
}

int lb_winvol_remove(struct lb_winvol *vol, const char *path)
{
	int rc = check_write(vol, path);
	return rc < 0 ? rc : vol->ops->remove(vol, path);
}

int lb_winvol_rename(struct lb_winvol *vol, const char *path, const char *new_name)
{
	int rc = check_write(vol, path);
	if (rc == 0 && (strchr(new_name, '/') || check_path(new_name) < 0))
		rc = lb_fail(LB_E_USAGE, "%s: invalid new name", new_name);
	return rc < 0 ? rc : vol->ops->rename(vol, path, new_name);
}

int lb_winvol_list(struct lb_winvol *vol, const char *path,
		   int (*fn)(void *ctx, const char *name, bool is_dir), void *ctx)
{
	int rc = path[0] ? check_path(path) : 0;
	return rc < 0 ? rc : vol->ops->list(vol, path, fn, ctx);
}

int lb_winvol_get_sd(struct lb_winvol *vol, const char *path, uint8_t **sd, size_t *len)
{
	int rc = path[0] ? check_path(path) : 0;
	return rc < 0 ? rc : vol->ops->get_sd(vol, path, sd, len);
}

int lb_winvol_set_sd(struct lb_winvol *vol, const char *path, const uint8_t *sd, size_t len)
{
	int rc = vol->writable ? (path[0] ? check_path(path) : 0)
			       : lb_fail(LB_E_REFUSED, "%s: the volume was opened read-only", path);
	return rc < 0 ? rc : vol->ops->set_sd(vol, path, sd, len);
}

int lb_winvol_sync(struct lb_winvol *vol)
{
	return vol->ops->sync(vol);
}

int lb_winvol_make_writable(struct lb_winvol *vol)
{
	if (!vol->writable)
		return lb_fail(LB_E_REFUSED, "%s: the volume was opened read-only", vol->target);
	return vol->ops->make_writable ? vol->ops->make_writable(vol) : 0;
}
