/* Image output streams: one file, standard output, or volumes of exactly
 * split_size bytes (the last one shorter) named NAME, NAME.002, NAME.003,
 * ...; each volume after the first starts with a volume mark naming the
 * image and the volume's place in the image stream. */
#include "stream.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lbi_format.h"
#include "lifeboat/error.h"

char *lb_volume_name(const char *path, unsigned n)
{
	size_t len = strlen(path) + 16;
	char *name = malloc(len);
	if (!name)
		return NULL;
	if (n <= 1)
		snprintf(name, len, "%s", path);
	else
		snprintf(name, len, "%s.%03u", path, n);
	return name;
}

static int write_all(int fd, const char *name, const void *buf, size_t len)
{
	const char *p = buf;
	while (len > 0) {
		ssize_t n = write(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return lb_fail_errno(LB_E_IO, "%s: write", name);
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

static int open_volume(struct lb_ostream *s, unsigned n)
{
	uint8_t mark[LBI_VOLUME_MARK];
	char *name = lb_volume_name(s->path, n);
	if (!name)
		return lb_fail(LB_E_NOMEM, "out of memory");
	int fd = open(name, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0) {
		int rc = lb_fail_errno(LB_E_IO, "%s", name);
		free(name);
		return rc;
	}
	s->fd = fd;
	s->volume = n;
	s->volume_pos = 0;
	if (n == 1) {
		free(name);
		return 0;
	}
	struct lbi_volume_mark m = { .number = n, .stream_offset = s->stream_pos };
	memcpy(m.uuid, s->uuid, sizeof m.uuid);
	lbi_encode_volume_mark(&m, mark);
	int rc = write_all(fd, name, mark, sizeof mark);
	free(name);
	s->volume_pos = sizeof mark;
	return rc;
}

static int fd_finish(struct lb_ostream *s)
{
	if (fsync(s->fd) < 0 && errno != EINVAL && errno != EROFS)
		return lb_fail_errno(LB_E_IO, "%s: flush", s->path);
	return 0;
}

static int single_write(struct lb_ostream *s, const void *buf, size_t len)
{
	return write_all(s->fd, s->path, buf, len);
}

static int split_write(struct lb_ostream *s, const void *buf, size_t len)
{
	const char *p = buf;
	while (len > 0) {
		if (s->volume_pos == s->split_size) {
			int rc = fd_finish(s);
			if (rc < 0)
				return rc;
			close(s->fd);
			s->fd = -1;
			if ((rc = open_volume(s, s->volume + 1)) < 0)
				return rc;
		}
		size_t n = len;
		if (n > s->split_size - s->volume_pos)
			n = (size_t)(s->split_size - s->volume_pos);
		int rc = write_all(s->fd, s->path, p, n);
		if (rc < 0)
			return rc;
		s->volume_pos += n;
		s->stream_pos += n;
		p += n;
		len -= n;
	}
	return 0;
}

static const struct lb_ostream_ops single_ops = { single_write, fd_finish };
static const struct lb_ostream_ops split_ops = { split_write, fd_finish };

int lb_ostream_open(const char *path, uint64_t split_size, const uint8_t uuid[16], struct lb_ostream **out)
{
	*out = NULL;
	bool is_stdout = strcmp(path, "-") == 0;
	if (is_stdout && split_size)
		return lb_fail(LB_E_USAGE, "split volumes need a file name, not standard output");
	struct lb_ostream *s = calloc(1, sizeof *s);
	if (!s || !(s->path = strdup(is_stdout ? "standard output" : path))) {
		free(s);
		return lb_fail(LB_E_NOMEM, "out of memory");
	}
	s->fd = -1;
	s->split_size = split_size;
	memcpy(s->uuid, uuid, sizeof s->uuid);
	s->ops = split_size ? &split_ops : &single_ops;
	int rc = 0;
	if (is_stdout)
		s->fd = STDOUT_FILENO;
	else
		rc = open_volume(s, 1);
	if (rc < 0) {
		lb_ostream_close(s);
		return rc;
	}
	*out = s;
	return 0;
}

void lb_ostream_close(struct lb_ostream *s)
{
	if (!s)
		return;
	if (s->fd > STDERR_FILENO)
		close(s->fd);
	free(s->path);
	free(s);
}
