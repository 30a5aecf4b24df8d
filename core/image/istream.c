/* Image input streams: standard input or a pipe read once in order (the
 * marks of concatenated split volumes dropped and checked on the way), or
 * a file and the volumes added to it, read sequentially or at any offset. */
#include "stream.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lbi_format.h"
#include "lifeboat/error.h"

static int fd_read_exact(struct lb_istream *s, void *buf, size_t len)
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
		s->raw_pos += (uint64_t)n;
	}
	return 0;
}

/* The mark that starts the next concatenated volume. */
static int pipe_mark(struct lb_istream *s)
{
	uint8_t buf[LBI_VOLUME_MARK];
	struct lbi_volume_mark m;
	int rc = fd_read_exact(s, buf, sizeof buf);
	if (rc == 0)
		rc = lbi_decode_volume_mark(buf, &m);
	if (rc == 0 && (memcmp(m.uuid, s->uuid, 16) != 0 || m.number != s->next_volume || m.stream_offset != s->pos))
		rc = lb_fail(LB_E_INVALID, "volume %u belongs to another image or is out of order", s->next_volume);
	/* a wrong or damaged mark is a volume not found, not a damaged chunk */
	if (rc < 0)
		return lb_fail_context(rc == LB_E_INVALID || rc == LB_E_CHECKSUM ? LB_E_NOTFOUND : rc, "%s: at byte %llu",
				       s->path, (unsigned long long)(s->raw_pos - sizeof buf));
	s->next_volume++;
	s->next_mark += s->volume_size;
	return 0;
}

static int pipe_read(struct lb_istream *s, void *buf, size_t len)
{
	char *p = buf;
	while (len > 0) {
		if (s->volume_size && s->raw_pos == s->next_mark) {
			int rc = pipe_mark(s);
			if (rc < 0)
				return rc;
		}
		size_t n = len;
		if (s->volume_size && n > s->next_mark - s->raw_pos)
			n = (size_t)(s->next_mark - s->raw_pos);
		int rc = fd_read_exact(s, p, n);
		if (rc < 0)
			return rc;
		p += n;
		len -= n;
		s->pos += n;
	}
	return 0;
}

/* Where a volume's image bytes start in its file: after the mark. */
static uint64_t data_offset(unsigned v)
{
	return v == 0 ? 0 : LBI_VOLUME_MARK;
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
		ssize_t got = pread(s->fds[v], p, n, (off_t)(off - s->vol_start[v] + data_offset(v)));
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

/* Appends an open volume file; takes name. */
static int append(struct lb_istream *s, int fd, char *name, uint64_t file_size)
{
	unsigned n = s->nvol + 1;
	int *fds = realloc(s->fds, n * sizeof *fds);
	if (fds)
		s->fds = fds;
	uint64_t *starts = fds ? realloc(s->vol_start, n * sizeof *starts) : NULL;
	if (starts)
		s->vol_start = starts;
	uint64_t *sizes = starts ? realloc(s->vol_file_size, n * sizeof *sizes) : NULL;
	if (sizes)
		s->vol_file_size = sizes;
	char **names = sizes ? realloc(s->vol_names, n * sizeof *names) : NULL;
	if (names)
		s->vol_names = names;
	if (!names) {
		close(fd);
		free(name);
		return lb_fail(LB_E_NOMEM, "out of memory");
	}
	s->fds[n - 1] = fd;
	s->vol_start[n - 1] = s->size;
	s->vol_file_size[n - 1] = file_size;
	s->vol_names[n - 1] = name;
	s->size += file_size - data_offset(n - 1);
	s->nvol = n;
	return 0;
}

/* Checks the mark of volume n; 1 with why filled when it is not the one. */
static int check_mark(struct lb_istream *s, int fd, const char *name, unsigned n, const uint8_t uuid[16],
		      uint64_t file_size, uint64_t volume_size, char *why, size_t whylen)
{
	uint8_t buf[LBI_VOLUME_MARK];
	struct lbi_volume_mark m;
	if (file_size <= sizeof buf || file_size > volume_size ||
	    pread(fd, buf, sizeof buf, 0) != (ssize_t)sizeof buf || lbi_decode_volume_mark(buf, &m) < 0) {
		snprintf(why, whylen, "%s is not a volume of a split Lifeboat image", name);
		return 1;
	}
	if (memcmp(m.uuid, uuid, 16) != 0) {
		snprintf(why, whylen, "%s belongs to another image", name);
		return 1;
	}
	if (m.number != n || m.stream_offset != s->size) {
		snprintf(why, whylen, "%s is volume %u of this image, not volume %u", name, m.number, n);
		return 1;
	}
	return 0;
}

int lb_istream_add_volume(struct lb_istream *s, const char *name, unsigned n, const uint8_t uuid[16],
			  uint64_t volume_size, char *why, size_t whylen)
{
	int fd = open(name, O_RDONLY | O_CLOEXEC);
	struct stat st;
	if (fd < 0 && errno == ENOENT) {
		snprintf(why, whylen, "%s does not exist", name);
		return 1;
	}
	if (fd < 0 || fstat(fd, &st) < 0) {
		int rc = lb_fail_errno(LB_E_IO, "%s", name);
		if (fd >= 0)
			close(fd);
		return rc;
	}
	int rc = check_mark(s, fd, name, n, uuid, (uint64_t)st.st_size, volume_size, why, whylen);
	if (rc != 0) {
		close(fd);
		return rc;
	}
	char *copy = strdup(name);
	if (!copy) {
		close(fd);
		return lb_fail(LB_E_NOMEM, "out of memory");
	}
	return append(s, fd, copy, (uint64_t)st.st_size);
}

void lb_istream_expect_marks(struct lb_istream *s, uint64_t volume_size, const uint8_t uuid[16])
{
	s->volume_size = volume_size;
	s->next_mark = volume_size;
	s->next_volume = 2;
	memcpy(s->uuid, uuid, sizeof s->uuid);
}

static int open_first(struct lb_istream *s, const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat st;
	if (fd < 0 || fstat(fd, &st) < 0) {
		int rc = lb_fail_errno(LB_E_NOTFOUND, "%s", path);
		if (fd >= 0)
			close(fd);
		return rc;
	}
	char *name = strdup(path);
	if (!name) {
		close(fd);
		return lb_fail(LB_E_NOMEM, "out of memory");
	}
	return append(s, fd, name, (uint64_t)st.st_size);
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
		rc = open_first(s, path);
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
	free(s->vol_file_size);
	free(s->vol_names);
	free(s->path);
	free(s);
}
