/* Image input streams: standard input or a pipe read once in order, or a
 * file / set of split volumes read sequentially or at any offset. */
#include "stream.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lifeboat/error.h"

static int pipe_read(struct lb_istream *s, void *buf, size_t len)
{
	char *p = buf;
	while (len > 0) {
		ssize_t n = read(s->fds[0], p, len);
		/* only the front end's SIGINT/SIGTERM handlers interrupt a read */
		if (n < 0 && errno == EINTR)
			return lb_fail(LB_E_CANCELLED, "interrupted while waiting for image data");
		if (n < 0)
			return lb_fail_errno(LB_E_IO, "%s: read", s->path);
		if (n == 0)
			return lb_fail(LB_E_TRUNCATED, "%s: image ends early (cut short at byte %llu)", s->path,
				       (unsigned long long)s->pos);
		p += n;
		len -= (size_t)n;
		s->pos += (uint64_t)n;
	}
	return 0;
}

static int volumes_read_at(struct lb_istream *s, void *buf, size_t len, uint64_t off)
{
	char *p = buf;
	if (off > s->size || len > s->size - off)
		return lb_fail(LB_E_TRUNCATED, "%s: image ends early (needs bytes up to %llu, has %llu)", s->path,
			       (unsigned long long)(off + len), (unsigned long long)s->size);
	while (len > 0) {
		unsigned v = s->nvol - 1;
		while (s->vol_start[v] > off)
			v--;
		uint64_t vol_end = v + 1 < s->nvol ? s->vol_start[v + 1] : s->size;
		size_t n = len;
		if (n > vol_end - off)
			n = (size_t)(vol_end - off);
		ssize_t got = pread(s->fds[v], p, n, (off_t)(off - s->vol_start[v]));
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0)
			return lb_fail_errno(LB_E_IO, "%s: read", s->vol_names[v]);
		if (got == 0)
			return lb_fail(LB_E_TRUNCATED, "%s: file shrank while reading", s->vol_names[v]);
		p += got;
		len -= (size_t)got;
		off += (uint64_t)got;
	}
	return 0;
}

static int volumes_read(struct lb_istream *s, void *buf, size_t len)
{
	int rc = volumes_read_at(s, buf, len, s->pos);
	if (rc == 0)
		s->pos += len;
	return rc;
}

static const struct lb_istream_ops pipe_ops = { pipe_read, NULL };
static const struct lb_istream_ops volume_ops = { volumes_read, volumes_read_at };

/* Opens volume n of s->path and appends it; returns 1 when it does not exist. */
static int add_volume(struct lb_istream *s, unsigned n)
{
	char *name = lb_volume_name(s->path, n);
	if (!name)
		return lb_fail(LB_E_NOMEM, "out of memory");
	int fd = open(name, O_RDONLY | O_CLOEXEC);
	struct stat st;
	if (fd < 0 || fstat(fd, &st) < 0) {
		int rc = (errno == ENOENT && n > 1) ? 1 : lb_fail_errno(LB_E_NOTFOUND, "%s", name);
		if (fd >= 0)
			close(fd);
		free(name);
		return rc;
	}
	int *fds = realloc(s->fds, (n) * sizeof *fds);
	uint64_t *starts = fds ? realloc(s->vol_start, n * sizeof *starts) : NULL;
	char **names = starts ? realloc(s->vol_names, n * sizeof *names) : NULL;
	if (fds)
		s->fds = fds;
	if (starts)
		s->vol_start = starts;
	if (names)
		s->vol_names = names;
	if (!names) {
		close(fd);
		free(name);
		return lb_fail(LB_E_NOMEM, "out of memory");
	}
	s->fds[n - 1] = fd;
	s->vol_start[n - 1] = s->size;
	s->vol_names[n - 1] = name;
	s->size += (uint64_t)st.st_size;
	s->nvol = n;
	return 0;
}

int lb_istream_open(const char *path, struct lb_istream **out)
{
	*out = NULL;
	bool is_stdin = strcmp(path, "-") == 0;
	struct lb_istream *s = calloc(1, sizeof *s);
	if (!s || !(s->path = strdup(is_stdin ? "standard input" : path))) {
		free(s);
		return lb_fail(LB_E_NOMEM, "out of memory");
	}
	int rc = 0;
	struct stat st;
	if (is_stdin || (stat(path, &st) == 0 && !S_ISREG(st.st_mode) && !S_ISBLK(st.st_mode))) {
		s->ops = &pipe_ops;
		s->fds = malloc(sizeof *s->fds);
		if (!s->fds)
			rc = lb_fail(LB_E_NOMEM, "out of memory");
		else if ((s->fds[0] = is_stdin ? dup(STDIN_FILENO) : open(path, O_RDONLY | O_CLOEXEC)) < 0)
			rc = lb_fail_errno(LB_E_IO, "%s", s->path);
		else
			s->nvol = 1;
	} else {
		s->ops = &volume_ops;
		for (unsigned n = 1; rc == 0; n++)
			rc = add_volume(s, n);
		rc = rc > 0 ? 0 : rc;
	}
	if (rc < 0) {
		lb_istream_close(s);
		return rc;
	}
	*out = s;
	return 0;
}

int lb_istream_seek(struct lb_istream *s, uint64_t off)
{
	if (!s->ops->read_at)
		return lb_fail(LB_E_UNSUPPORTED, "%s: cannot seek in a pipe", s->path);
	s->pos = off;
	return 0;
}

void lb_istream_close(struct lb_istream *s)
{
	if (!s)
		return;
	for (unsigned i = 0; i < s->nvol; i++) {
		close(s->fds[i]);
		if (s->vol_names)
			free(s->vol_names[i]);
	}
	free(s->fds);
	free(s->vol_start);
	free(s->vol_names);
	free(s->path);
	free(s);
}
