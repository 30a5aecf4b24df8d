/* `win newsid`: a new machine SID, applied the NewSID / Ghost Walker way:
 * every binary and textual occurrence of the old SID in every hive (values,
 * value names, key names, security cells), every NTFS security descriptor
 * that holds it (re-set through libntfs-3g's security API), and every
 * folder named after it. All hive edits go through journaled sessions. */
#include "win_internal.h"
#include "lifeboat/error.h"
#include "regf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define MAX_OLD 2

struct rewrite {
	struct lb_sid3 old[MAX_OLD];
	int nold;
	struct lb_sid3 new_sid;
	long changes;      /* in the hive being processed */
	long total_sds, total_dirs;
	bool sd_unsupported;
	bool dpapi;        /* a Protect\<SID> folder exists */
	struct lb_win *win;
	struct lb_winop *op;
};

static bool string_type(hive_type t)
{
	return t == hive_t_REG_SZ || t == hive_t_REG_EXPAND_SZ || t == hive_t_REG_MULTI_SZ || t == hive_t_REG_LINK;
}

/* Rewrites name for every old SID; malloc'd result, or NULL if unchanged. */
static char *rewrite_name(struct rewrite *rw, const char *name, int *err)
{
	char *cur = NULL;
	*err = 0;
	for (int i = 0; i < rw->nold; i++) {
		int n;
		char *next = win_sid_rewrite_text(cur ? cur : name, &rw->old[i], &rw->new_sid, &n);
		if (n < 0)
			*err = lb_fail(LB_E_NOMEM, "out of memory");
		if (next) {
			free(cur);
			cur = next;
		}
	}
	return cur;
}

/* Rewrites one value's data; *data may be replaced by a new buffer. */
static int rewrite_data(struct rewrite *rw, hive_type t, char **data, size_t *len, bool *changed)
{
	for (int i = 0; i < rw->nold; i++) {
		if (win_sid_rewrite_binary((uint8_t *)*data, *len, &rw->old[i], &rw->new_sid))
			*changed = true;
		if (!string_type(t))
			continue;
		int n;
		size_t out_len;
		uint8_t *out = win_sid_rewrite_utf16((uint8_t *)*data, *len, &rw->old[i], &rw->new_sid, &out_len, &n);
		if (n < 0)
			return lb_fail(LB_E_NOMEM, "out of memory");
		if (out) {
			free(*data);
			*data = (char *)out;
			*len = out_len;
			*changed = true;
		}
	}
	return 0;
}

static void free_values(hive_set_value *vals, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(vals[i].key);
		free(vals[i].value);
	}
	free(vals);
}

/* Reads all values of node, rewritten; sets them back if any changed. */
static int rewrite_values(struct rewrite *rw, hive_h *h, hive_node_h node)
{
	hive_value_h *vh = hivex_node_values(h, node);
	if (!vh)
		return lb_fail(LB_E_INVALID, "unreadable values");
	size_t n = 0;
	while (vh[n])
		n++;
	hive_set_value *vals = calloc(n + 1, sizeof *vals);
	bool changed = false;
	int rc = vals ? 0 : lb_fail(LB_E_NOMEM, "out of memory");
	for (size_t i = 0; rc == 0 && i < n; i++) {
		vals[i].key = hivex_value_key(h, vh[i]);
		vals[i].value = vals[i].key ? hivex_value_value(h, vh[i], &vals[i].t, &vals[i].len) : NULL;
		if (!vals[i].value) {
			rc = lb_fail(LB_E_INVALID, "unreadable value");
			break;
		}
		int err;
		char *key = rewrite_name(rw, vals[i].key, &err);
		if (key) {
			free(vals[i].key);
			vals[i].key = key;
			changed = true;
		}
		rc = err ? err : rewrite_data(rw, vals[i].t, &vals[i].value, &vals[i].len, &changed);
	}
	if (rc == 0 && changed) {
		if (hivex_node_set_values(h, node, n, vals, 0) < 0)
			rc = lb_fail_errno(LB_E_IO, "cannot rewrite values");
		rw->changes++;
	}
	free_values(vals, n);
	free(vh);
	return rc;
}

/* Copies the subtree src under parent as name (values already rewritten). */
static int copy_tree(hive_h *h, hive_node_h parent, hive_node_h src, const char *name)
{
	hive_node_h dst = hivex_node_add_child(h, parent, name);
	if (!dst)
		return lb_fail_errno(LB_E_IO, "cannot create key %s", name);
	hive_value_h *vh = hivex_node_values(h, src);
	size_t n = 0;
	while (vh && vh[n])
		n++;
	hive_set_value *vals = calloc(n + 1, sizeof *vals);
	int rc = vh && vals ? 0 : lb_fail(LB_E_NOMEM, "out of memory");
	for (size_t i = 0; rc == 0 && i < n; i++) {
		vals[i].key = hivex_value_key(h, vh[i]);
		vals[i].value = vals[i].key ? hivex_value_value(h, vh[i], &vals[i].t, &vals[i].len) : NULL;
		if (!vals[i].value)
			rc = lb_fail(LB_E_INVALID, "unreadable value");
	}
	if (rc == 0 && n && hivex_node_set_values(h, dst, n, vals, 0) < 0)
		rc = lb_fail_errno(LB_E_IO, "cannot copy values of %s", name);
	if (vals)
		free_values(vals, n);
	free(vh);
	hive_node_h *kids = rc == 0 ? hivex_node_children(h, src) : NULL;
	for (size_t i = 0; kids && kids[i] && rc == 0; i++) {
		char *kname = hivex_node_name(h, kids[i]);
		rc = kname ? copy_tree(h, dst, kids[i], kname) : lb_fail(LB_E_INVALID, "unreadable key");
		free(kname);
	}
	free(kids);
	return rc;
}

/* Depth first: values, children, then renames of children named by the SID. */
static int rewrite_node(struct rewrite *rw, hive_h *h, hive_node_h node)
{
	int rc = rewrite_values(rw, h, node);
	hive_node_h *kids = rc == 0 ? hivex_node_children(h, node) : NULL;
	if (rc == 0 && !kids)
		rc = lb_fail(LB_E_INVALID, "unreadable subkeys");
	for (size_t i = 0; kids && kids[i] && rc == 0; i++)
		rc = rewrite_node(rw, h, kids[i]);
	for (size_t i = 0; kids && kids[i] && rc == 0; i++) {
		char *name = hivex_node_name(h, kids[i]);
		int err = 0;
		char *renamed = name ? rewrite_name(rw, name, &err) : NULL;
		if (renamed) {
			rc = copy_tree(h, node, kids[i], renamed);
			if (rc == 0 && hivex_node_delete_child(h, kids[i]) < 0)
				rc = lb_fail_errno(LB_E_IO, "cannot remove key %s", name);
			rw->changes++;
		}
		rc = rc ? rc : err;
		free(renamed);
		free(name);
	}
	free(kids);
	return rc;
}

static int fixup_sk(uint8_t *hive, size_t len, void *ctx)
{
	struct rewrite *rw = ctx;
	for (int i = 0; i < rw->nold; i++)
		win_sid_rewrite_sk_cells(hive, len, &rw->old[i], &rw->new_sid);
	return 0;
}

/* Whether any security cell of the raw hive holds an old SID. */
static bool sk_cells_hold_sid(struct rewrite *rw, const uint8_t *orig, size_t len)
{
	uint8_t *copy = malloc(len);
	size_t hits = 0;
	if (!copy)
		return true;
	memcpy(copy, orig, len);
	for (int i = 0; i < rw->nold; i++)
		hits += win_sid_rewrite_sk_cells(copy, len, &rw->old[i], &rw->new_sid);
	free(copy);
	return hits > 0;
}

static int rewrite_hive(struct rewrite *rw, const char *path)
{
	struct lb_hive *h;
	int rc = lb_hive_open(rw->win->vol, path, rw->op, &h);
	if (rc < 0)
		return rc;
	rw->changes = 0;
	rc = rewrite_node(rw, lb_hive_handle(h), hivex_root(lb_hive_handle(h)));
	size_t len;
	const uint8_t *orig = lb_hive_original(h, &len);
	if (rc == 0 && (rw->changes > 0 || sk_cells_hold_sid(rw, orig, len))) {
		lb_hive_set_fixup(h, fixup_sk, rw);
		lb_winop_note(rw->op, "%s: %ld keys/value sets rewritten", path, rw->changes);
		rc = lb_hive_commit(h);
	}
	lb_hive_close(h);
	return rc < 0 ? lb_fail_context(rc, "%s", path) : 0;
}

/* --- The hives: System32/config and every profile's NTUSER.DAT/UsrClass.dat --- */

static int rewrite_if_present(struct rewrite *rw, const char *path)
{
	struct lb_winvol_stat st;
	if (lb_winvol_stat(rw->win->vol, path, &st) < 0 || st.is_dir || st.size == 0) {
		lb_error_clear();
		return 0;
	}
	return rewrite_hive(rw, path);
}

/* The folder names of a directory (collected first: hives are committed
 * only after the listing ends). */
struct names {
	char **v;
	size_t n, cap;
};

static int add_dir_name(void *ctx, const char *name, bool is_dir)
{
	struct names *nl = ctx;
	if (!is_dir)
		return 0;
	if (nl->n == nl->cap) {
		size_t cap = nl->cap ? 2 * nl->cap : 16;
		char **v = realloc(nl->v, cap * sizeof *v);
		if (!v)
			return lb_fail(LB_E_NOMEM, "out of memory");
		nl->v = v;
		nl->cap = cap;
	}
	if (!(nl->v[nl->n] = strdup(name)))
		return lb_fail(LB_E_NOMEM, "out of memory");
	nl->n++;
	return 0;
}

static int rewrite_profiles(struct rewrite *rw, const char *home)
{
	static const char *const hives[] = { "NTUSER.DAT", "AppData/Local/Microsoft/Windows/UsrClass.dat" };
	struct names nl = { 0 };
	int rc = lb_winvol_exists(rw->win->vol, home) ? lb_winvol_list(rw->win->vol, home, add_dir_name, &nl) : 0;
	for (size_t i = 0; i < nl.n; i++) {
		for (size_t k = 0; rc == 0 && k < 2; k++) {
			char *path = NULL;
			if (asprintf(&path, "%s/%s/%s", home, nl.v[i], hives[k]) < 0)
				rc = lb_fail(LB_E_NOMEM, "out of memory");
			else
				rc = rewrite_if_present(rw, path);
			free(path);
		}
		free(nl.v[i]);
	}
	free(nl.v);
	return rc;
}

static int rewrite_all_hives(struct rewrite *rw)
{
	static const char *const config[] = { "SAM", "SECURITY", "SYSTEM", "SOFTWARE", "DEFAULT" };
	int rc = 0;
	for (size_t i = 0; rc == 0 && i < sizeof config / sizeof *config; i++) {
		char *path;
		if ((rc = lb_win_hive_path(rw->win, config[i], &path)) < 0)
			break;
		rc = rewrite_if_present(rw, path);
		free(path);
	}
	if (rc == 0)
		rc = rewrite_profiles(rw, "Users");
	if (rc == 0)
		rc = rewrite_profiles(rw, "Documents and Settings");
	return rc;
}

/* --- NTFS security descriptors and SID-named folders ------------------------ */

static int rewrite_sd(struct rewrite *rw, const char *path)
{
	uint8_t *sd;
	size_t len;
	int rc = lb_winvol_get_sd(rw->win->vol, path, &sd, &len);
	if (rc == LB_E_UNSUPPORTED) {
		rw->sd_unsupported = true;
		lb_error_clear();
		return 0;
	}
	if (rc < 0)
		return rc;
	size_t hits = 0;
	for (int i = 0; i < rw->nold; i++)
		hits += win_sid_rewrite_binary(sd, len, &rw->old[i], &rw->new_sid);
	if (hits) {
		rc = lb_winvol_set_sd(rw->win->vol, path, sd, len);
		rw->total_sds++;
	}
	free(sd);
	return rc;
}

/* Every entry of a directory with its kind, collected before any is touched:
 * libntfs-3g must not see an inode opened twice. */
struct entries {
	char **name;
	bool *is_dir;
	size_t n, cap;
};

static int add_entry(void *ctx, const char *name, bool is_dir)
{
	struct entries *e = ctx;
	if (e->n == e->cap) {
		size_t cap = e->cap ? 2 * e->cap : 32;
		char **names = realloc(e->name, cap * sizeof *names);
		if (names)
			e->name = names;
		bool *dirs = names ? realloc(e->is_dir, cap * sizeof *dirs) : NULL;
		if (!dirs)
			return lb_fail(LB_E_NOMEM, "out of memory");
		e->is_dir = dirs;
		e->cap = cap;
	}
	if (!(e->name[e->n] = strdup(name)))
		return lb_fail(LB_E_NOMEM, "out of memory");
	e->is_dir[e->n++] = is_dir;
	return 0;
}

static void free_entries(struct entries *e)
{
	for (size_t i = 0; i < e->n; i++)
		free(e->name[i]);
	free(e->name);
	free(e->is_dir);
}

/* Rewrites the descriptors below dir, then renames its SID-named entries. */
static int walk_tree(struct rewrite *rw, const char *dir)
{
	struct entries e = { 0 };
	int rc = lb_winvol_list(rw->win->vol, dir, add_entry, &e);
	for (size_t i = 0; rc == 0 && i < e.n; i++) {
		if (!dir[0] && e.name[i][0] == '$' && strcasecmp(e.name[i], "$Recycle.Bin") != 0)
			continue;  /* NTFS metadata files */
		char *path = NULL;
		if (asprintf(&path, "%s%s%s", dir, dir[0] ? "/" : "", e.name[i]) < 0) {
			rc = lb_fail(LB_E_NOMEM, "out of memory");
			break;
		}
		rc = rewrite_sd(rw, path);
		if (rc == 0 && e.is_dir[i])
			rc = walk_tree(rw, path);
		int err = 0;
		char *renamed = rc == 0 ? rewrite_name(rw, e.name[i], &err) : NULL;
		rc = rc ? rc : err;
		if (renamed && (rc = lb_winvol_rename(rw->win->vol, path, renamed)) == 0) {
			lb_winop_note(rw->op, "renamed %s to %s", path, renamed);
			rw->total_dirs++;
			rw->dpapi |= strlen(dir) >= 7 && strcasecmp(dir + strlen(dir) - 7, "Protect") == 0;
		}
		free(renamed);
		free(path);
	}
	free_entries(&e);
	return rc;
}

/* --- The operation ------------------------------------------------------------ */

static int security_sid(struct lb_win *win, struct lb_sid3 *out, bool *present)
{
	struct lb_hive *sec;
	*present = false;
	char *path;
	int rc = lb_win_hive_path(win, "SECURITY", &path);
	bool exists = rc == 0 && lb_winvol_exists(win->vol, path);
	free(path);
	if (rc < 0 || !exists)
		return rc;
	if ((rc = lb_win_open_hive(win, "SECURITY", NULL, &sec)) < 0)
		return rc;
	hive_node_h node = lb_hive_find(sec, "Policy\\PolAcDmS");
	uint8_t *v = NULL;
	size_t len = 0;
	uint32_t type;
	if (node && lb_hive_get_value(sec, node, "", &type, &v, &len) == 0 && len == 24 && v[0] == 1 && v[1] == 4 &&
	    regf_le32(v + 8) == 21) {
		for (int i = 0; i < 3; i++)
			out->sub[i] = regf_le32(v + 12 + 4 * i);
		*present = true;
	}
	free(v);
	lb_hive_close(sec);
	lb_error_clear();
	return 0;
}

static int prepare(struct lb_win *win, const struct lb_sid3 *new_sid, bool force, struct rewrite *rw)
{
	struct win_domain dom;
	int rc = win_domain_state(win, &dom);
	if (rc < 0)
		return rc;
	if (dom.controller)
		return lb_fail(LB_E_REFUSED, "this Windows is a domain controller: its machine SID is the "
			       "domain's SID and cannot be changed");
	if ((rc = lb_win_machine_sid(win, &rw->old[0])) < 0)
		return rc;
	rw->nold = 1;
	struct lb_sid3 sec;
	bool has_sec;
	if ((rc = security_sid(win, &sec, &has_sec)) < 0)
		return rc;
	if (has_sec && memcmp(&sec, &rw->old[0], sizeof sec) != 0) {
		char a[64], b[64];
		lb_sid3_format(&rw->old[0], a);
		lb_sid3_format(&sec, b);
		if (!force)
			return lb_fail(LB_E_REFUSED, "SAM (%s) and SECURITY (%s) disagree on the machine SID; "
				       "use --force to replace both", a, b);
		rw->old[rw->nold++] = sec;
	}
	if (new_sid)
		rw->new_sid = *new_sid;
	else if ((rc = lb_sid3_random(&rw->new_sid)) < 0)
		return rc;
	for (int i = 0; i < rw->nold; i++)
		if (memcmp(&rw->old[i], &rw->new_sid, sizeof rw->new_sid) == 0)
			return lb_fail(LB_E_USAGE, "the new SID is the current one");
	if (dom.member)
		lb_warn("this Windows is joined to the domain '%s': its domain identity is unchanged", dom.name);
	return 0;
}

int lb_win_newsid(struct lb_win *win, const struct lb_sid3 *new_sid, bool force, struct lb_sid3 *result)
{
	struct rewrite rw = { .win = win };
	int rc = prepare(win, new_sid, force, &rw);
	if (rc < 0)
		return rc;
	char old_text[64], new_text[64], what[160];
	lb_sid3_format(&rw.old[0], old_text);
	lb_sid3_format(&rw.new_sid, new_text);
	snprintf(what, sizeof what, "newsid %s -> %s", old_text, new_text);
	if ((rc = lb_win_begin(win, what, &rw.op)) < 0)
		return rc;
	rc = lb_winvol_make_writable(win->vol);
	if (rc == 0)
		rc = rewrite_all_hives(&rw);
	if (rc == 0)
		rc = walk_tree(&rw, "");
	if (rc == 0) {
		lb_winop_note(rw.op, "security descriptors rewritten: %ld; folders renamed: %ld", rw.total_sds,
			      rw.total_dirs);
		if (rw.sd_unsupported)
			lb_warn("%s has no NTFS security descriptors (a plain directory): file ACLs were not changed",
				lb_winvol_target(win->vol));
		lb_warn("local users' DPAPI and EFS secrets (saved passwords, certificates' private keys, EFS "
			"files) are bound to the old SID and cannot be carried over offline%s",
			rw.dpapi ? " (found Protect\\<SID> folders)" : "");
	}
	int end = lb_winop_end(rw.op);
	if (rc == 0 && end == 0)
		*result = rw.new_sid;
	return rc < 0 ? rc : end;
}

int win_newsid_undo_files(struct lb_win *win, const char *what)
{
	char old_text[64], new_text[64];
	struct rewrite rw = { .win = win, .nold = 1 };
	if (sscanf(what, "newsid %63s -> %63s", old_text, new_text) != 2 ||
	    lb_sid3_parse(new_text, &rw.old[0]) < 0 || lb_sid3_parse(old_text, &rw.new_sid) < 0) {
		lb_error_clear();
		return 0;
	}
	int rc = lb_winvol_make_writable(win->vol);
	return rc < 0 ? rc : walk_tree(&rw, "");
}
