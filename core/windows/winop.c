/* Journaled operations on an offline Windows: backups next to each changed
 * hive, a line-based journal on the volume, roll-back of interrupted
 * commits and undo of the last operation.
 *
 * Journal lines are tab-separated:
 *   begin  STAMP WHAT        an operation starts (written with its first commit)
 *   backup FILE BACKUP HIVE [VOL]  FILE (the hive or one of its logs) copied to BACKUP
 *   commit HIVE [VOL]        about to write HIVE in place
 *   written HIVE [VOL]       HIVE and its logs are written
 *   note TEXT                a change the operation made
 *   mkdir DIR                a folder the operation created (undo removes it when empty)
 *   created FILE             a file the operation created (undo removes it)
 *   end STAMP                the operation is complete
 *   rolledback HIVE          an interrupted commit was undone at the next open
 *   undone STAMP             `win undo` restored the operation's backups
 * VOL names another volume (the EFI system partition holding the BCD, as
 * DISK:N or a device) when the file is not on the journal's volume; its
 * backups are then kept beside the journal. */
#include "lifeboat/hive.h"
#include "lifeboat/error.h"
#include "lifeboat/strbuf.h"
#include "lifeboat/winvol.h"
#include "winop_internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#define MAX_BACKUPS 256

/* --- Reading the journal back ------------------------------------------ */

#define JFIELDS 5

struct jline {
	char *field[JFIELDS];
	int n;
};

struct journal {
	char *text;
	struct jline *lines;
	int n;
};

static void journal_free(struct journal *j)
{
	free(j->text);
	free(j->lines);
}

/* Reads and splits the journal; an absent journal is an empty one. */
static int journal_read(struct lb_winvol *vol, const char *path, struct journal *j)
{
	size_t len;
	memset(j, 0, sizeof *j);
	if (!lb_winvol_exists(vol, path))
		return 0;
	int rc = lb_winvol_read(vol, path, (uint8_t **)&j->text, &len);
	if (rc < 0)
		return rc;
	int cap = 1;
	for (size_t i = 0; i < len; i++)
		cap += j->text[i] == '\n';
	if (!(j->lines = calloc((size_t)cap, sizeof *j->lines))) {
		journal_free(j);
		return lb_fail(LB_E_NOMEM, "out of memory");
	}
	for (char *save = NULL, *line = strtok_r(j->text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		struct jline *l = &j->lines[j->n++];
		for (char *f = line; f && l->n < JFIELDS; l->n++) {
			l->field[l->n] = f;
			if ((f = strchr(f, '\t')))
				*f++ = '\0';
		}
	}
	return 0;
}

static bool is(const struct jline *l, const char *kind, int min_fields)
{
	return l->n >= min_fields && strcmp(l->field[0], kind) == 0;
}

static bool stamp_used(const struct journal *j, const char *stamp)
{
	for (int i = 0; i < j->n; i++)
		if (is(&j->lines[i], "begin", 2) && strcmp(j->lines[i].field[1], stamp) == 0)
			return true;
	return false;
}

/* --- Writing ------------------------------------------------------------ */

struct lb_winop {
	struct lb_winvol *vol;
	char *journal;
	char *what;
	char stamp[32];
	bool begun;
	struct lb_strbuf pending;  /* note lines not yet in the journal */
	int nbackups;
	char *backed_up[MAX_BACKUPS];
};

int lb_winop_begin(struct lb_winvol *vol, const char *journal_path, const char *what,
		   struct lb_winop **out)
{
	struct lb_winop *op = calloc(1, sizeof *op);
	*out = NULL;
	if (!op || !(op->journal = strdup(journal_path)) || !(op->what = strdup(what))) {
		if (op)
			free(op->journal);
		free(op);
		return lb_fail(LB_E_NOMEM, "out of memory");
	}
	op->vol = vol;
	time_t now = time(NULL);
	struct tm tm;
	char base[20];
	strftime(base, sizeof base, "%Y%m%d-%H%M%S", gmtime_r(&now, &tm));
	struct journal j;
	int rc = journal_read(vol, journal_path, &j);
	if (rc < 0) {
		lb_winop_end(op);
		return rc;
	}
	snprintf(op->stamp, sizeof op->stamp, "%s", base);
	for (int n = 2; stamp_used(&j, op->stamp); n++)
		snprintf(op->stamp, sizeof op->stamp, "%s-%d", base, n);
	journal_free(&j);
	lb_strbuf_init(&op->pending);
	for (char *p = op->what; *p; p++)
		if (*p == '\n' || *p == '\t')
			*p = ' ';
	*out = op;
	return 0;
}

static int journal_append(struct lb_winop *op, const char *text)
{
	int rc = lb_winvol_append(op->vol, op->journal, text, strlen(text));
	return rc < 0 ? lb_fail_context(rc, "journal %s", op->journal) : 0;
}

static int journal_line(struct lb_winop *op, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int journal_line(struct lb_winop *op, const char *fmt, ...)
{
	char *line = NULL;
	va_list ap;
	va_start(ap, fmt);
	int n = vasprintf(&line, fmt, ap);
	va_end(ap);
	if (n < 0)
		return lb_fail(LB_E_NOMEM, "out of memory");
	int rc = journal_append(op, line);
	free(line);
	return rc;
}

/* Writes the begin line (creating the journal's folder) and pending notes. */
static int journal_flush(struct lb_winop *op)
{
	int rc = 0;
	if (!op->begun) {
		char *dir;
		const char *name;
		if ((rc = lb_winvol_split(op->journal, &dir, &name)) < 0)
			return rc;
		rc = dir[0] ? lb_winvol_mkdirs(op->vol, dir) : 0;
		free(dir);
		if (rc == 0)
			rc = journal_line(op, "begin\t%s\t%s\n", op->stamp, op->what);
		if (rc < 0)
			return rc;
		op->begun = true;
	}
	if (op->pending.len > 0) {
		rc = journal_append(op, lb_strbuf_str(&op->pending));
		lb_strbuf_free(&op->pending);
		lb_strbuf_init(&op->pending);
	}
	return rc;
}

int lb_winop_note(struct lb_winop *op, const char *fmt, ...)
{
	if (!op)
		return 0;
	char *text = NULL;
	va_list ap;
	va_start(ap, fmt);
	int n = vasprintf(&text, fmt, ap);
	va_end(ap);
	if (n < 0)
		return lb_fail(LB_E_NOMEM, "out of memory");
	for (char *p = text; *p; p++)
		if (*p == '\n' || *p == '\t')
			*p = ' ';
	lb_strbuf_printf(&op->pending, "note\t%s\n", text);
	free(text);
	return 0;
}

int lb_winop_end(struct lb_winop *op)
{
	if (!op)
		return 0;
	int rc = 0;
	if (op->begun) {
		rc = journal_flush(op);
		if (rc == 0)
			rc = journal_line(op, "end\t%s\n", op->stamp);
		if (rc == 0)
			rc = lb_winvol_sync(op->vol);
	}
	for (int i = 0; i < op->nbackups; i++)
		free(op->backed_up[i]);
	lb_strbuf_free(&op->pending);
	free(op->journal);
	free(op->what);
	free(op);
	return rc;
}

/* Where a file of an operation lives: the journal's volume, or another one (spec). */
struct place {
	struct lb_winvol *vol;
	const char *spec;  /* NULL on the journal's volume */
};

static struct place place_of(struct lb_winop *op, struct lb_winvol *vol)
{
	return (struct place){ vol, vol == op->vol ? NULL : lb_winvol_target(vol) };
}

/* "\tVOL" for journal lines of files on another volume, else "". */
static const char *vol_field(const struct place *pl, char *buf, size_t len)
{
	snprintf(buf, len, "%s%s", pl->spec ? "\t" : "", pl->spec ? pl->spec : "");
	return buf;
}

static bool already_backed_up(struct lb_winop *op, const char *key)
{
	for (int i = 0; i < op->nbackups; i++)
		if (strcasecmp(op->backed_up[i], key) == 0)
			return true;
	return false;
}

/* Copies file to FILE.lifeboat-STAMP[-N] (beside it, or beside the journal
 * for a file on another volume) and journals it. */
static int backup_file(struct lb_winop *op, const struct place *pl, const struct winop_file *file, const char *hive)
{
	char *key = NULL, *dir = NULL, vf[600];
	const char *base;
	if (asprintf(&key, "%s\t%s", pl->spec ? pl->spec : "", file->path) < 0)
		return lb_fail(LB_E_NOMEM, "out of memory");
	if (already_backed_up(op, key)) {
		free(key);
		return 0;
	}
	if (op->nbackups == MAX_BACKUPS) {
		free(key);
		return lb_fail(LB_E_UNSUPPORTED, "too many files in one operation");
	}
	int rc = lb_winvol_split(pl->spec ? op->journal : file->path, &dir, &base);
	char *name = NULL;
	base = strrchr(file->path, '/') ? strrchr(file->path, '/') + 1 : file->path;
	for (int n = 1; rc == 0 && (!name || lb_winvol_exists(op->vol, name)); n++) {
		free(name);
		int w = n == 1 ? asprintf(&name, "%s%s%s.lifeboat-%s", dir, *dir ? "/" : "", base, op->stamp)
			       : asprintf(&name, "%s%s%s.lifeboat-%s-%d", dir, *dir ? "/" : "", base, op->stamp, n);
		if (w < 0) {
			name = NULL;
			rc = lb_fail(LB_E_NOMEM, "out of memory");
		}
	}
	if (rc == 0)
		rc = lb_winvol_create(op->vol, name, file->data, file->len);
	if (rc == 0)
		rc = journal_line(op, "backup\t%s\t%s\t%s%s\n", file->path, name, hive, vol_field(pl, vf, sizeof vf));
	free(name);
	free(dir);
	if (rc == 0)
		op->backed_up[op->nbackups++] = key;
	else
		free(key);
	return rc;
}

int winop_commit_hive(struct lb_winop *op, struct lb_winvol *vol, const struct winop_file *hive,
		      const uint8_t *new_data, size_t new_len, const struct winop_file *logs, int nlogs)
{
	struct place pl = place_of(op, vol);
	char vf[600];
	vol_field(&pl, vf, sizeof vf);
	int rc = journal_flush(op);
	if (rc == 0)
		rc = backup_file(op, &pl, hive, hive->path);
	for (int i = 0; rc == 0 && i < nlogs; i++)
		if (logs[i].len > 0)
			rc = backup_file(op, &pl, &logs[i], hive->path);
	if (rc == 0)
		rc = lb_winvol_sync(op->vol);
	if (rc == 0)
		rc = journal_line(op, "commit\t%s%s\n", hive->path, vf);
	if (rc == 0)
		rc = lb_winvol_overwrite(vol, hive->path, new_data, new_len);
	for (int i = 0; rc == 0 && i < nlogs; i++)
		if (logs[i].len > 0)
			rc = lb_winvol_overwrite(vol, logs[i].path, "", 0);
	if (rc == 0)
		rc = lb_winvol_sync(vol);
	if (rc == 0)
		rc = journal_line(op, "written\t%s%s\n", hive->path, vf);
	return rc;
}

int lb_winop_replace_file(struct lb_winop *op, const char *path, const void *data, size_t len)
{
	struct winop_file file = { .path = (char *)path };
	int rc = lb_winvol_read(op->vol, path, &file.data, &file.len);
	if (rc == 0)
		rc = winop_commit_hive(op, op->vol, &file, data, len, NULL, 0);
	free(file.data);
	return rc;
}

/* Creates the missing folders of dir, top down, each journaled. */
static int make_dirs(struct lb_winop *op, const char *dir)
{
	if (!dir[0] || lb_winvol_exists(op->vol, dir))
		return 0;
	char *parent;
	const char *name;
	int rc = lb_winvol_split(dir, &parent, &name);
	if (rc < 0)
		return rc;
	rc = make_dirs(op, parent);
	free(parent);
	if (rc == 0)
		rc = journal_line(op, "mkdir\t%s\n", dir);
	return rc < 0 ? rc : lb_winvol_mkdirs(op->vol, dir);
}

int lb_winop_create_file(struct lb_winop *op, const char *path, const void *data, size_t len)
{
	char *dir;
	const char *name;
	int rc = journal_flush(op);
	if (rc == 0 && (rc = lb_winvol_split(path, &dir, &name)) == 0) {
		rc = make_dirs(op, dir);
		free(dir);
	}
	if (rc == 0)
		rc = journal_line(op, "created\t%s\n", path);
	return rc < 0 ? rc : lb_winvol_create(op->vol, path, data, len);
}

/* The volume a journal line's file is on: field i, when present, names another one. */
static const char *line_vol(const struct jline *l, int i)
{
	return l->n > i ? l->field[i] : NULL;
}

static bool same_vol(const char *a, const char *b)
{
	return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

/* Writes every backup of hive (on volume spec, NULL = vol) recorded in
 * lines [from, to) back in place. */
static int restore_hive(struct lb_winvol *vol, const struct journal *j, int from, int to, const char *hive,
			const char *spec)
{
	struct lb_winvol *target = vol;
	int rc = spec ? lb_winvol_open(spec, LB_WINVOL_WRITE, &target) : 0;
	for (int i = from; rc == 0 && i < to; i++) {
		const struct jline *l = &j->lines[i];
		if (!is(l, "backup", 4) || strcmp(l->field[3], hive) != 0 || !same_vol(line_vol(l, 4), spec))
			continue;
		uint8_t *data;
		size_t len;
		rc = lb_winvol_read(vol, l->field[2], &data, &len);
		if (rc == 0)
			rc = lb_winvol_overwrite(target, l->field[1], data, len);
		free(data);
		if (rc < 0)
			rc = lb_fail_context(rc, "restoring %s%s%s", l->field[1], spec ? " on " : "", spec ? spec : "");
	}
	if (spec) {
		int close_rc = lb_winvol_close(target);
		rc = rc < 0 ? rc : close_rc;
	}
	return rc;
}

/* Index of the last "begin" at or before line i. */
static int block_start(const struct journal *j, int i)
{
	while (i > 0 && !is(&j->lines[i], "begin", 2))
		i--;
	return i;
}

static bool finished_later(const struct journal *j, int i, const char *hive, const char *spec)
{
	for (int k = i + 1; k < j->n; k++)
		if ((is(&j->lines[k], "written", 2) || is(&j->lines[k], "rolledback", 2)) &&
		    strcmp(j->lines[k].field[1], hive) == 0 && same_vol(line_vol(&j->lines[k], 2), spec))
			return true;
	return false;
}

int lb_winop_recover(struct lb_winvol *vol, const char *journal_path)
{
	struct journal j;
	int rc = journal_read(vol, journal_path, &j), count = 0;
	for (int i = 0; rc == 0 && i < j.n; i++) {
		const struct jline *l = &j.lines[i];
		const char *spec = line_vol(l, 2);
		if (!is(l, "commit", 2) || finished_later(&j, i, l->field[1], spec))
			continue;
		rc = restore_hive(vol, &j, block_start(&j, i), i, l->field[1], spec);
		if (rc == 0) {
			char *line = NULL;
			if (asprintf(&line, "rolledback\t%s%s%s\n", l->field[1], spec ? "\t" : "", spec ? spec : "") < 0)
				rc = lb_fail(LB_E_NOMEM, "out of memory");
			else
				rc = lb_winvol_append(vol, journal_path, line, strlen(line));
			free(line);
			lb_warn("%s: an interrupted change was rolled back to its backup", l->field[1]);
			count++;
		}
	}
	journal_free(&j);
	if (rc == 0 && count > 0)
		rc = lb_winvol_sync(vol);
	return rc < 0 ? rc : count;
}

static bool undone(const struct journal *j, int begin)
{
	for (int k = begin + 1; k < j->n; k++)
		if (is(&j->lines[k], "undone", 2) && strcmp(j->lines[k].field[1], j->lines[begin].field[1]) == 0)
			return true;
	return false;
}

/* Removes, last first, the files and then folders lines [from, to) created;
 * a folder that holds something else now is kept. */
static int remove_created(struct lb_winvol *vol, const struct journal *j, int from, int to)
{
	int rc = 0;
	for (int i = to - 1; i >= from && rc == 0; i--) {
		const struct jline *l = &j->lines[i];
		bool file = is(l, "created", 2), dir = is(l, "mkdir", 2);
		struct lb_winvol_stat st;
		if ((!file && !dir) || lb_winvol_stat(vol, l->field[1], &st) < 0) {
			lb_error_clear();
			continue;
		}
		if (dir && !st.is_dir)
			continue;
		rc = lb_winvol_remove(vol, l->field[1]);
		if (rc < 0 && dir) {
			lb_warn("%s: kept, it holds files the operation did not create", l->field[1]);
			lb_error_clear();
			rc = 0;
		}
	}
	return rc < 0 ? lb_fail_context(rc, "undo") : 0;
}

int lb_winop_undo(struct lb_winvol *vol, const char *journal_path, char **what)
{
	struct journal j;
	int rc = journal_read(vol, journal_path, &j);
	if (rc < 0)
		return rc;
	int begin = -1;
	for (int i = j.n - 1; i >= 0 && begin < 0; i--)
		if (is(&j.lines[i], "begin", 3) && !undone(&j, i))
			begin = i;
	if (begin < 0) {
		journal_free(&j);
		return lb_fail(LB_E_NOTFOUND, "nothing to undo: the journal records no operation");
	}
	int end = begin + 1;
	while (end < j.n && !is(&j.lines[end], "begin", 2))
		end++;
	for (int i = begin; rc == 0 && i < end; i++)
		if (is(&j.lines[i], "written", 2))
			rc = restore_hive(vol, &j, begin, end, j.lines[i].field[1], line_vol(&j.lines[i], 2));
	if (rc == 0)
		rc = remove_created(vol, &j, begin, end);
	if (rc == 0) {
		char *line = NULL;
		if (asprintf(&line, "undone\t%s\n", j.lines[begin].field[1]) < 0)
			rc = lb_fail(LB_E_NOMEM, "out of memory");
		else
			rc = lb_winvol_append(vol, journal_path, line, strlen(line));
		free(line);
	}
	if (rc == 0)
		rc = lb_winvol_sync(vol);
	if (rc == 0 && what && !(*what = strdup(j.lines[begin].field[2])))
		rc = lb_fail(LB_E_NOMEM, "out of memory");
	journal_free(&j);
	return rc;
}
