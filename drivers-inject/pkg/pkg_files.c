/* CopyFiles of an install section: file-list sections and @file entries,
 * their [DestinationDirs] DIRID and the file's place inside the package
 * ([SourceDisksFiles[.arch]] / [SourceDisksNames[.arch]]). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lifeboat/error.h"
#include "lifeboat/strbuf.h"
#include "pkg_internal.h"

/* The [name.arch] form of a SourceDisks section if present, else [name]. */
static const struct lb_inf_section *arch_section(const struct lb_inf *inf, const char *name, enum lb_arch arch)
{
	char full[64];
	snprintf(full, sizeof full, "%s.%s", name, lb_arch_name(arch));
	const struct lb_inf_section *s = arch != LB_ARCH_ANY ? lb_inf_section(inf, full) : NULL;
	return s ? s : lb_inf_section(inf, name);
}

static void append_path(struct lb_strbuf *sb, const char *part)
{
	while (*part == '\\' || *part == '/')
		part++;
	if (!*part)
		return;
	if (sb->len)
		lb_strbuf_puts(sb, "/");
	for (; *part; part++)
		lb_strbuf_append(sb, *part == '\\' ? "/" : part, 1);
	while (sb->len && sb->data[sb->len - 1] == '/')
		sb->data[--sb->len] = '\0';
}

/* Where source lives inside the package, '/'-separated. */
static char *source_path(const struct lb_inf *inf, const char *source, enum lb_arch arch)
{
	struct lb_strbuf sb;
	lb_strbuf_init(&sb);
	lb_strbuf_append(&sb, "", 0);
	const struct lb_inf_line *f = lb_inf_find(arch_section(inf, "SourceDisksFiles", arch), source);
	if (f) {
		const struct lb_inf_line *disk =
			lb_inf_find(arch_section(inf, "SourceDisksNames", arch), lb_inf_field(f, 0));
		if (disk)
			append_path(&sb, lb_inf_field(disk, 3));
		append_path(&sb, lb_inf_field(f, 1));
	}
	append_path(&sb, source);
	if (sb.failed) {
		lb_strbuf_free(&sb);
		return NULL;
	}
	return sb.data;
}

/* The destination of file list list (or DefaultDestDir, else DIRID 11). */
static int destination(const struct lb_inf *inf, const char *list, long *dirid, const char **subdir)
{
	const struct lb_inf_section *dd = lb_inf_section(inf, "DestinationDirs");
	const struct lb_inf_line *l = list ? lb_inf_find(dd, list) : NULL;
	if (!l)
		l = lb_inf_find(dd, "DefaultDestDir");
	*dirid = 11;
	*subdir = "";
	if (!l)
		return 0;
	const char *text = lb_inf_field(l, 0);
	char *end;
	long v = strtol(text, &end, 10);
	if (!*text || *end || v < -1 || v > 0x7FFFFFFF)
		return lb_fail(LB_E_INVALID, "%s:%u: DestinationDirs DIRID '%s' is not a number", inf->name,
			       l->lineno, text);
	*dirid = v;
	*subdir = lb_inf_field(l, 1);
	return 0;
}

static int add_file(const struct lb_inf *inf, struct lb_drv_install *inst, size_t *cap, const char *list,
		    const char *name, const char *source, unsigned flags, enum lb_arch arch)
{
	long dirid;
	const char *subdir;
	int rc = destination(inf, list, &dirid, &subdir);
	if (rc < 0)
		return rc;
	if (drv_grow((void **)&inst->files, cap, inst->nfiles + 1, sizeof *inst->files) < 0)
		return lb_fail(LB_E_NOMEM, "out of memory");
	struct lb_drv_file *f = &inst->files[inst->nfiles];
	memset(f, 0, sizeof *f);
	f->name = strdup(name);
	f->source = strdup(*source ? source : name);
	f->subdir = strdup(subdir);
	f->dirid = dirid;
	f->flags = flags;
	f->source_path = f->source ? source_path(inf, f->source, arch) : NULL;
	inst->nfiles++;
	if (!f->name || !f->source || !f->subdir || !f->source_path)
		return lb_fail(LB_E_NOMEM, "out of memory");
	return 0;
}

static int add_list(const struct lb_inf *inf, struct lb_drv_install *inst, size_t *cap, const char *list,
		    unsigned lineno, enum lb_arch arch)
{
	const struct lb_inf_section *sec = lb_inf_section(inf, list);
	if (!sec)
		return lb_fail(LB_E_INVALID, "%s:%u: CopyFiles names section [%s], which does not exist", inf->name,
			       lineno, list);
	for (size_t i = 0; i < sec->nlines; i++) {
		const struct lb_inf_line *l = &sec->lines[i];
		const char *name = l->key && l->nfields <= 1 ? l->key : lb_inf_field(l, 0);
		unsigned long flags = 0;
		if (!*name)
			return lb_fail(LB_E_INVALID, "%s:%u: file list entry without a file name", inf->name,
				       l->lineno);
		if (*lb_inf_field(l, 3) &&
		    inf_parse_uint(inf, l->lineno, "CopyFiles flag", lb_inf_field(l, 3), 0xFFFFFFFF, &flags) < 0)
			return LB_E_INVALID;
		int rc = add_file(inf, inst, cap, list, name, lb_inf_field(l, 1), (unsigned)flags, arch);
		if (rc < 0)
			return rc;
	}
	return 0;
}

int pkg_add_copyfiles(const struct lb_inf *inf, const struct lb_inf_line *line, enum lb_arch arch,
		      struct lb_drv_install *inst, size_t *cap)
{
	for (size_t k = 0; k < line->nfields; k++) {
		const char *entry = line->fields[k];
		int rc = 0;
		if (!*entry)
			continue;
		if (entry[0] == '@')
			rc = entry[1] ? add_file(inf, inst, cap, NULL, entry + 1, "", 0, arch)
				      : lb_fail(LB_E_INVALID, "%s:%u: '@' without a file name", inf->name, line->lineno);
		else
			rc = add_list(inf, inst, cap, entry, line->lineno, arch);
		if (rc < 0)
			return rc;
	}
	return 0;
}
