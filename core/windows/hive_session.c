/* Hive sessions: a private copy of a hive (with its logs replayed when the
 * base block is dirty) edited through hivex, checked, and committed back to
 * the volume through the operation's journal. The copy lives in $TMPDIR as
 * lifeboat-hive-PID-XXXXXX, flock()ed while its session lives; copies left
 * by a process that was killed (no lock, and its PID gone or the copy over
 * a minute old) are removed by the next session. */
#include "lifeboat/hive.h"
#include "lifeboat/error.h"
#include "lifeboat/winvol.h"
#include "regf.h"
#include "winop_internal.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static const char *const log_suffixes[] = { ".LOG", ".LOG1", ".LOG2" };
#define NLOGS 3

#define TMP_PREFIX "lifeboat-hive-"

#define STALE_SECONDS 60

/* Whether a working copy's session is over: nobody holds its lock, and its
 * process is gone or it is older than a minute (a process of another PID
 * namespace may be between creating and locking a fresh one). */
static bool copy_is_stale(int dir_fd, const char *name)
{
	char *end;
	long pid = strtol(name + strlen(TMP_PREFIX), &end, 10);
	if (pid <= 0 || *end != '-')
		return false;
	int fd = openat(dir_fd, name, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return false;
	struct stat st;
	bool stale = flock(fd, LOCK_EX | LOCK_NB) == 0 && fstat(fd, &st) == 0 &&
		     ((kill((pid_t)pid, 0) < 0 && errno == ESRCH) || time(NULL) - st.st_mtime > STALE_SECONDS);
	close(fd);
	return stale;
}

/* Removes working copies of sessions that were killed. */
static void remove_stale_copies(const char *dir)
{
	DIR *d = opendir(dir);
	if (!d)
		return;
	struct dirent *e;
	while ((e = readdir(d)))
		if (strncmp(e->d_name, TMP_PREFIX, strlen(TMP_PREFIX)) == 0 && copy_is_stale(dirfd(d), e->d_name))
			unlinkat(dirfd(d), e->d_name, 0);
	closedir(d);
}

struct lb_hive {
	struct lb_winvol *vol;
	struct lb_winop *op;
	struct winop_file file;           /* the hive as read off the volume */
	struct winop_file logs[NLOGS];
	char tmp[80];                     /* the private working copy */
	int tmp_fd;                       /* holds its lock; -1 when none */
	hive_h *h;
	struct lb_hive_state st;
	lb_hive_fixup_fn fixup;
	void *fixup_ctx;
};

static int write_tmp(const char *path, const uint8_t *data, size_t len)
{
	int fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC);
	if (fd < 0)
		return lb_fail_errno(LB_E_IO, "%s", path);
	int rc = 0;
	for (size_t done = 0; done < len && rc == 0;) {
		ssize_t n = write(fd, data + done, len - done);
		if (n < 0 && errno != EINTR)
			rc = lb_fail_errno(LB_E_IO, "write %s", path);
		else if (n > 0)
			done += (size_t)n;
	}
	close(fd);
	return rc;
}

static int read_tmp(const char *path, uint8_t **data, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return lb_fail_errno(LB_E_IO, "%s", path);
	int rc = 0;
	long size = fseek(f, 0, SEEK_END) == 0 ? ftell(f) : -1;
	*data = size >= 0 ? malloc((size_t)size + 1) : NULL;
	if (!*data || fseek(f, 0, SEEK_SET) != 0 || fread(*data, 1, (size_t)size, f) != (size_t)size) {
		free(*data);
		*data = NULL;
		rc = lb_fail_errno(LB_E_IO, "read %s", path);
	} else {
		*len = (size_t)size;
	}
	fclose(f);
	return rc;
}

/* Reads path (and, when with_logs, its transaction logs) off the volume. */
static int read_files(struct lb_winvol *vol, const char *path, struct winop_file *file,
		      struct winop_file *logs)
{
	if (!(file->path = strdup(path)))
		return lb_fail(LB_E_NOMEM, "out of memory");
	int rc = lb_winvol_read(vol, path, &file->data, &file->len);
	for (int i = 0; rc == 0 && i < NLOGS; i++) {
		if (asprintf(&logs[i].path, "%s%s", path, log_suffixes[i]) < 0) {
			logs[i].path = NULL;
			return lb_fail(LB_E_NOMEM, "out of memory");
		}
		if (lb_winvol_exists(vol, logs[i].path))
			rc = lb_winvol_read(vol, logs[i].path, &logs[i].data, &logs[i].len);
	}
	return rc;
}

static void free_files(struct winop_file *file, struct winop_file *logs)
{
	free(file->path);
	free(file->data);
	for (int i = 0; i < NLOGS; i++) {
		free(logs[i].path);
		free(logs[i].data);
	}
}

static void state_of(const struct regf_header *hdr, const struct winop_file *logs, struct lb_hive_state *st)
{
	memset(st, 0, sizeof *st);
	st->dirty = hdr->dirty;
	st->checksum_ok = hdr->checksum_ok;
	st->seq1 = hdr->seq1;
	st->seq2 = hdr->seq2;
	for (int i = 0; i < NLOGS; i++)
		st->has_logs |= logs[i].len > 0;
}

int lb_hive_probe(struct lb_winvol *vol, const char *path, struct lb_hive_state *st)
{
	struct winop_file file = { 0 }, logs[NLOGS] = { { 0 } };
	struct regf_header hdr;
	int rc = read_files(vol, path, &file, logs);
	if (rc == 0)
		rc = regf_read_header(file.data, file.len, &hdr);
	if (rc == 0)
		state_of(&hdr, logs, st);
	free_files(&file, logs);
	return rc < 0 ? lb_fail_context(rc, "%s", path) : 0;
}

/* Brings the working copy to a clean state when the primary is dirty. */
static int repair_dirty(struct lb_hive *s, uint8_t **work, size_t *len)
{
	if (!s->st.dirty)
		return 0;
	if (!s->st.has_logs) {
		if (s->op)
			lb_warn("%s is dirty (sequence %u/%u) and has no transaction logs: it is edited as it is",
				s->file.path, s->st.seq1, s->st.seq2);
		return 0;
	}
	struct regf_log logs[NLOGS];
	for (int i = 0; i < NLOGS; i++)
		logs[i] = (struct regf_log){ s->logs[i].path, s->logs[i].data, s->logs[i].len };
	int rc = regf_replay_logs(work, len, logs, NLOGS, &s->st.replayed);
	if (rc < 0)
		return lb_fail_context(rc, "%s is dirty and its logs cannot be replayed", s->file.path);
	return 0;
}

static int open_hivex(struct lb_hive *s, int flags)
{
	s->h = hivex_open(s->tmp, flags);
	if (!s->h)
		return lb_fail(LB_E_INVALID, "%s: damaged hive (hivex refuses it: %s); it is never written",
			       s->file.path, strerror(errno));
	return 0;
}

int lb_hive_open(struct lb_winvol *vol, const char *path, struct lb_winop *op, struct lb_hive **out)
{
	struct lb_hive *s = calloc(1, sizeof *s);
	*out = NULL;
	if (!s)
		return lb_fail(LB_E_NOMEM, "out of memory");
	s->tmp_fd = -1;
	s->vol = vol;
	s->op = op;
	struct regf_header hdr;
	uint8_t *work = NULL;
	size_t len = 0;
	int rc = read_files(vol, path, &s->file, s->logs);
	if (rc == 0 && (rc = regf_read_header(s->file.data, s->file.len, &hdr)) < 0)
		lb_fail_context(rc, "%s: damaged hive", path);
	if (rc == 0) {
		state_of(&hdr, s->logs, &s->st);
		work = malloc(s->file.len);
		if (!work)
			rc = lb_fail(LB_E_NOMEM, "out of memory");
		else
			memcpy(work, s->file.data, len = s->file.len);
	}
	if (rc == 0)
		rc = repair_dirty(s, &work, &len);
	if (rc == 0) {
		const char *dir = getenv("TMPDIR");
		dir = dir && strlen(dir) < 40 ? dir : "/tmp";
		remove_stale_copies(dir);
		snprintf(s->tmp, sizeof s->tmp, "%s/%s%ld-XXXXXX", dir, TMP_PREFIX, (long)getpid());
		s->tmp_fd = mkstemp(s->tmp);
		if (s->tmp_fd < 0) {
			s->tmp[0] = '\0';
			rc = lb_fail_errno(LB_E_IO, "temporary hive copy");
		} else {
			flock(s->tmp_fd, LOCK_EX);
			rc = write_tmp(s->tmp, work, len);
		}
	}
	free(work);
	if (rc == 0)
		rc = open_hivex(s, op ? HIVEX_OPEN_WRITE : 0);
	if (rc < 0) {
		lb_hive_close(s);
		return rc;
	}
	*out = s;
	return 0;
}

hive_h *lb_hive_handle(struct lb_hive *h)
{
	return h->h;
}

const struct lb_hive_state *lb_hive_state(const struct lb_hive *h)
{
	return &h->st;
}

const char *lb_hive_path(const struct lb_hive *h)
{
	return h->file.path;
}

const uint8_t *lb_hive_original(const struct lb_hive *h, size_t *len)
{
	*len = h->file.len;
	return h->file.data;
}

void lb_hive_set_fixup(struct lb_hive *h, lb_hive_fixup_fn fn, void *ctx)
{
	h->fixup = fn;
	h->fixup_ctx = ctx;
}

/* hivex_commit, then the raw passes, then an independent re-open check. */
static int finish_copy(struct lb_hive *s, uint8_t **data, size_t *len)
{
	if (hivex_commit(s->h, NULL, 0) < 0)
		return lb_fail_errno(LB_E_IO, "%s: hivex commit", s->file.path);
	hivex_close(s->h);
	s->h = NULL;
	int rc = read_tmp(s->tmp, data, len);
	struct regf_header hdr;
	if (rc == 0)
		rc = regf_scrub_free_cells(*data, *len);
	if (rc == 0 && s->fixup)
		rc = s->fixup(*data, *len, s->fixup_ctx);
	if (rc == 0)
		rc = write_tmp(s->tmp, *data, *len);
	if (rc == 0)
		rc = open_hivex(s, HIVEX_OPEN_WRITE);
	if (rc == 0 && (regf_read_header(*data, *len, &hdr) < 0 || hdr.dirty))
		rc = lb_fail(LB_E_CHECKSUM, "%s: committed copy is not a clean hive", s->file.path);
	if (rc < 0)
		return lb_fail_context(rc, "%s: checking the new hive", s->file.path);
	return 0;
}

int lb_hive_commit(struct lb_hive *s)
{
	if (!s->op)
		return lb_fail(LB_E_USAGE, "%s: read-only hive session", s->file.path);
	uint8_t *data = NULL;
	size_t len = 0;
	int rc = finish_copy(s, &data, &len);
	if (rc == 0)
		rc = winop_commit_hive(s->op, s->vol, &s->file, data, len, s->logs, NLOGS);
	free(data);
	return rc;
}

void lb_hive_close(struct lb_hive *s)
{
	if (!s)
		return;
	if (s->h)
		hivex_close(s->h);
	if (s->tmp[0])
		unlink(s->tmp);
	if (s->tmp_fd >= 0)
		close(s->tmp_fd);
	free_files(&s->file, s->logs);
	free(s);
}
