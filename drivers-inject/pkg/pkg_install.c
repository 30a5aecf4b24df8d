/* Install sections: the platform form Windows would pick (install.NT<arch>,
 * install.NT, install), and what it does — CopyFiles, AddReg, Include/Needs,
 * its .HW AddReg, and its .Services AddService lines with each service-install
 * section (type, start, error control, binary, group, AddReg/DelReg). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "lifeboat/error.h"
#include "pkg_internal.h"

static int add_fields(char ***list, size_t *n, const struct lb_inf_line *l)
{
	for (size_t k = 0; k < l->nfields; k++)
		if (*l->fields[k] && pkg_list_add(list, n, l->fields[k]) < 0)
			return LB_E_NOMEM;
	return 0;
}

static int is_key(const struct lb_inf_line *l, const char *key)
{
	return l->key && strcasecmp(l->key, key) == 0;
}

/* Splits "%12%\viostor.sys" into DIRID 12 and "viostor.sys" and derives the
 * ImagePath Windows stores for binaries below %SystemRoot%. */
static int resolve_binary(struct lb_drv_service *s)
{
	const char *b = s->binary, *rest = b;
	s->binary_dirid = 0;
	if (b[0] == '%') {
		char *end;
		long v = strtol(b + 1, &end, 10);
		if (end != b + 1 && *end == '%') {
			s->binary_dirid = v;
			rest = end + 1;
			while (*rest == '\\')
				rest++;
		}
	}
	enum lb_dirid_base base;
	const char *dir = "";
	int under_windows = s->binary_dirid && lb_dirid_lookup(s->binary_dirid, &base, &dir) == 0 &&
			    base == LB_DIRID_WINDOWS;
	lb_error_clear();
	s->binary_file = strdup(rest);
	if (!under_windows)
		s->image_path = strdup("");
	else if (asprintf(&s->image_path, "%s%s%s", dir, *dir ? "\\" : "", rest) < 0)
		s->image_path = NULL;
	return s->binary_file && s->image_path ? 0 : lb_fail(LB_E_NOMEM, "out of memory");
}

static int read_number(const struct lb_inf *inf, const struct lb_inf_line *l, bool *has, unsigned *out)
{
	unsigned long v;
	if (inf_parse_uint(inf, l->lineno, l->key, lb_inf_field(l, 0), 0xFFFFFFFF, &v) < 0)
		return LB_E_INVALID;
	*has = true;
	*out = (unsigned)v;
	return 0;
}

static int dup_field(char **dst, const struct lb_inf_line *l)
{
	free(*dst);
	*dst = strdup(lb_inf_field(l, 0));
	return *dst ? 0 : lb_fail(LB_E_NOMEM, "out of memory");
}

static int read_service_section(const struct lb_inf *inf, struct lb_drv_service *s, unsigned lineno)
{
	const struct lb_inf_section *sec = lb_inf_section(inf, s->section);
	if (!sec)
		return lb_fail(LB_E_INVALID, "%s:%u: AddService names section [%s], which does not exist", inf->name,
			       lineno, s->section);
	int rc = 0;
	for (size_t i = 0; rc == 0 && i < sec->nlines; i++) {
		const struct lb_inf_line *l = &sec->lines[i];
		if (is_key(l, "ServiceType"))
			rc = read_number(inf, l, &s->has_type, &s->type);
		else if (is_key(l, "StartType"))
			rc = read_number(inf, l, &s->has_start, &s->start);
		else if (is_key(l, "ErrorControl"))
			rc = read_number(inf, l, &s->has_error_control, &s->error_control);
		else if (is_key(l, "ServiceBinary"))
			rc = dup_field(&s->binary, l);
		else if (is_key(l, "LoadOrderGroup"))
			rc = dup_field(&s->group, l);
		else if (is_key(l, "DisplayName"))
			rc = dup_field(&s->display_name, l);
		else if (is_key(l, "Description"))
			rc = dup_field(&s->description, l);
		else if (is_key(l, "StartName"))
			rc = dup_field(&s->start_name, l);
		else if (is_key(l, "Dependencies"))
			rc = add_fields(&s->dependencies, &s->ndependencies, l);
		else if (is_key(l, "AddReg"))
			rc = add_fields(&s->addreg, &s->naddreg, l);
		else if (is_key(l, "DelReg"))
			rc = add_fields(&s->delreg, &s->ndelreg, l);
	}
	return rc < 0 ? rc : resolve_binary(s);
}

static int add_service(const struct lb_inf *inf, const struct lb_inf_line *l, struct lb_drv_install *inst,
		       size_t *cap)
{
	unsigned long flags = 0;
	if (*lb_inf_field(l, 1) &&
	    inf_parse_uint(inf, l->lineno, "AddService flags", lb_inf_field(l, 1), 0xFFFFFFFF, &flags) < 0)
		return LB_E_INVALID;
	if (drv_grow((void **)&inst->services, cap, inst->nservices + 1, sizeof *inst->services) < 0)
		return lb_fail(LB_E_NOMEM, "out of memory");
	struct lb_drv_service *s = &inst->services[inst->nservices++];
	memset(s, 0, sizeof *s);
	s->flags = (unsigned)flags;
	const char *strs[] = { lb_inf_field(l, 0), lb_inf_field(l, 2), lb_inf_field(l, 3), "", "", "", "", "" };
	char **dst[] = { &s->name, &s->section, &s->eventlog_section, &s->binary, &s->group,
			 &s->display_name, &s->description, &s->start_name };
	for (size_t i = 0; i < sizeof dst / sizeof dst[0]; i++)
		if (!(*dst[i] = strdup(strs[i])))
			return lb_fail(LB_E_NOMEM, "out of memory");
	if (!*s->name)
		return resolve_binary(s);
	if (!*s->section)
		return lb_fail(LB_E_INVALID, "%s:%u: AddService %s without a service-install section", inf->name,
			       l->lineno, s->name);
	return read_service_section(inf, s, l->lineno);
}

static int read_subsection(const struct lb_inf *inf, const char *actual, const char *suffix,
			   struct lb_drv_install *inst)
{
	char name[600];
	snprintf(name, sizeof name, "%s.%s", actual, suffix);
	const struct lb_inf_section *sec = lb_inf_section(inf, name);
	size_t cap = 0;
	int rc = 0;
	for (size_t i = 0; sec && rc == 0 && i < sec->nlines; i++) {
		const struct lb_inf_line *l = &sec->lines[i];
		if (strcmp(suffix, "Services") == 0 && is_key(l, "AddService"))
			rc = add_service(inf, l, inst, &cap);
		else if (strcmp(suffix, "HW") == 0 && is_key(l, "AddReg"))
			rc = add_fields(&inst->hw_addreg, &inst->nhw_addreg, l);
	}
	return rc;
}

static const struct lb_inf_section *actual_section(const struct lb_inf *inf, const char *install, enum lb_arch arch)
{
	char name[600];
	const struct lb_inf_section *s = NULL;
	if (arch != LB_ARCH_ANY && arch != LB_ARCH_UNKNOWN) {
		snprintf(name, sizeof name, "%s.NT%s", install, lb_arch_name(arch));
		s = lb_inf_section(inf, name);
	}
	if (!s) {
		snprintf(name, sizeof name, "%s.NT", install);
		s = lb_inf_section(inf, name);
	}
	return s ? s : lb_inf_section(inf, install);
}

int lb_drv_install_resolve(const struct lb_drv_package *pkg, const char *install, enum lb_arch arch,
			   struct lb_drv_install *out)
{
	const struct lb_inf *inf = pkg->inf;
	memset(out, 0, sizeof *out);
	const struct lb_inf_section *sec = actual_section(inf, install, arch);
	if (!sec)
		return lb_fail(LB_E_INVALID, "%s: install section [%s] does not exist", inf->name, install);
	if (!(out->section = strdup(sec->name)))
		return lb_fail(LB_E_NOMEM, "out of memory");
	size_t file_cap = 0;
	int rc = 0;
	for (size_t i = 0; rc == 0 && i < sec->nlines; i++) {
		const struct lb_inf_line *l = &sec->lines[i];
		if (is_key(l, "CopyFiles"))
			rc = pkg_add_copyfiles(inf, l, arch, out, &file_cap);
		else if (is_key(l, "AddReg"))
			rc = add_fields(&out->addreg, &out->naddreg, l);
		else if (is_key(l, "Include"))
			rc = add_fields(&out->includes, &out->nincludes, l);
		else if (is_key(l, "Needs"))
			rc = add_fields(&out->needs, &out->nneeds, l);
	}
	if (rc == 0)
		rc = read_subsection(inf, out->section, "Services", out);
	if (rc == 0)
		rc = read_subsection(inf, out->section, "HW", out);
	if (rc < 0)
		lb_drv_install_clear(out);
	return rc;
}

const struct lb_drv_service *lb_drv_install_function_service(const struct lb_drv_install *inst)
{
	for (size_t i = 0; i < inst->nservices; i++)
		if ((inst->services[i].flags & 0x2) && *inst->services[i].name)
			return &inst->services[i];
	return NULL;
}

static void service_clear(struct lb_drv_service *s)
{
	char *strs[] = { s->name, s->section, s->eventlog_section, s->binary, s->binary_file, s->image_path,
			 s->group, s->display_name, s->description, s->start_name };
	for (size_t i = 0; i < sizeof strs / sizeof strs[0]; i++)
		free(strs[i]);
	pkg_list_free(s->dependencies, s->ndependencies);
	pkg_list_free(s->addreg, s->naddreg);
	pkg_list_free(s->delreg, s->ndelreg);
}

void lb_drv_install_clear(struct lb_drv_install *inst)
{
	for (size_t i = 0; i < inst->nservices; i++)
		service_clear(&inst->services[i]);
	free(inst->services);
	for (size_t i = 0; i < inst->nfiles; i++) {
		free(inst->files[i].name);
		free(inst->files[i].source);
		free(inst->files[i].source_path);
		free(inst->files[i].subdir);
	}
	free(inst->files);
	pkg_list_free(inst->addreg, inst->naddreg);
	pkg_list_free(inst->hw_addreg, inst->nhw_addreg);
	pkg_list_free(inst->includes, inst->nincludes);
	pkg_list_free(inst->needs, inst->nneeds);
	free(inst->section);
	memset(inst, 0, sizeof *inst);
}
