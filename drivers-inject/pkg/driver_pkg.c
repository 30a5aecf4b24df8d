/* Loading a driver package from its INF: [Version] data (class, provider,
 * DriverVer, catalog) and every Models section named by [Manufacturer]. */
#include "lifeboat/driver_pkg.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "lifeboat/error.h"
#include "pkg_internal.h"

static int parse_driver_ver(struct lb_drv_package *pkg, const struct lb_inf_line *l)
{
	const char *date = lb_inf_field(l, 0), *ver = lb_inf_field(l, 1);
	char tail;
	if (sscanf(date, "%u/%u/%u%c", &pkg->month, &pkg->day, &pkg->year, &tail) != 3 || pkg->month < 1 ||
	    pkg->month > 12 || pkg->day < 1 || pkg->day > 31 || pkg->year < 1601 || pkg->year > 9999)
		return lb_fail(LB_E_INVALID, "%s:%u: DriverVer date '%s' is not mm/dd/yyyy", pkg->inf->name,
			       l->lineno, date);
	pkg->has_date = true;
	if (!*ver)
		return 0;
	unsigned v[4] = { 0 };
	int n = sscanf(ver, "%u.%u.%u.%u%c", &v[0], &v[1], &v[2], &v[3], &tail);
	if (n < 1 || n > 4 || v[0] > 65535 || v[1] > 65535 || v[2] > 65535 || v[3] > 65535 ||
	    strspn(ver, "0123456789.") != strlen(ver))
		return lb_fail(LB_E_INVALID, "%s:%u: DriverVer version '%s' is not w.x.y.z", pkg->inf->name,
			       l->lineno, ver);
	for (int i = 0; i < 4; i++)
		pkg->version[i] = (uint16_t)v[i];
	pkg->has_version = true;
	return 0;
}

static int read_version(struct lb_drv_package *pkg)
{
	const struct lb_inf *inf = pkg->inf;
	const struct lb_inf_section *sec = lb_inf_section(inf, "Version");
	if (!sec)
		return lb_fail(LB_E_INVALID, "%s: no [Version] section, not an INF file", inf->name);
	pkg->signature = lb_inf_value(inf, "Version", "Signature");
	if (!pkg->signature || (strcasecmp(pkg->signature, "$Windows NT$") != 0 &&
				strcasecmp(pkg->signature, "$Chicago$") != 0 &&
				strcasecmp(pkg->signature, "$Windows 95$") != 0))
		return lb_fail(LB_E_INVALID, "%s: [Version] Signature is '%s', not $Windows NT$ or $Chicago$",
			       inf->name, pkg->signature ? pkg->signature : "");
	pkg->class_name = lb_inf_value(inf, "Version", "Class");
	pkg->class_guid = lb_inf_value(inf, "Version", "ClassGUID");
	pkg->provider = lb_inf_value(inf, "Version", "Provider");
	const struct lb_inf_line *dv = lb_inf_find(sec, "DriverVer");
	return dv ? parse_driver_ver(pkg, dv) : 0;
}

static int add_models(struct lb_drv_package *pkg, size_t *cap, size_t mfg, const char *manufacturer,
		      const char *base, const char *decoration, unsigned lineno)
{
	if (drv_grow((void **)&pkg->models, cap, pkg->nmodels + 1, sizeof *pkg->models) < 0)
		return lb_fail(LB_E_NOMEM, "out of memory");
	struct lb_drv_models *m = &pkg->models[pkg->nmodels];
	memset(m, 0, sizeof *m);
	m->mfg = mfg;
	m->manufacturer = manufacturer;
	m->base = base;
	m->decoration = decoration;
	if (*decoration && lb_inf_decoration_parse(decoration, &m->dec) < 0)
		return lb_fail_context(LB_E_INVALID, "%s:%u", pkg->inf->name, lineno);
	pkg->nmodels++;
	char name[600];
	snprintf(name, sizeof name, "%s%s%s", base, *decoration ? "." : "", decoration);
	const struct lb_inf_section *sec = lb_inf_section(pkg->inf, name);
	m->present = sec != NULL;
	return sec ? pkg_read_devices(pkg->inf, sec, m) : 0;
}

static int read_manufacturers(struct lb_drv_package *pkg)
{
	const struct lb_inf_section *sec = lb_inf_section(pkg->inf, "Manufacturer");
	size_t cap = 0;
	if (!sec)
		return 0;
	for (size_t i = 0; i < sec->nlines; i++) {
		const struct lb_inf_line *l = &sec->lines[i];
		const char *base = lb_inf_field(l, 0);
		if (!*base)
			return lb_fail(LB_E_INVALID, "%s:%u: [Manufacturer] line names no Models section",
				       pkg->inf->name, l->lineno);
		const char *mfg = l->key ? l->key : base;
		size_t index = pkg->nmanufacturers++;
		int rc = add_models(pkg, &cap, index, mfg, base, "", l->lineno);
		for (size_t k = 1; rc == 0 && k < l->nfields; k++)
			if (*l->fields[k])
				rc = add_models(pkg, &cap, index, mfg, base, l->fields[k], l->lineno);
		if (rc < 0)
			return rc;
	}
	return 0;
}

/* Fills pkg (whose inf is set) from path: folder, [Version], Models. */
static int model_package(struct lb_drv_package *pkg, const char *path)
{
	int rc = 0;
	pkg->path = strdup(path);
	const char *slash = strrchr(path, '/');
	pkg->dir = slash ? strndup(path, (size_t)(slash - path + (slash == path))) : strdup(".");
	if (!pkg->path || !pkg->dir)
		rc = lb_fail(LB_E_NOMEM, "out of memory");
	if (rc == 0)
		rc = read_version(pkg);
	if (rc == 0)
		rc = read_manufacturers(pkg);
	return rc;
}

static int finish(struct lb_drv_package *pkg, int rc, struct lb_drv_package **out)
{
	if (rc < 0) {
		lb_drv_package_free(pkg);
		return rc;
	}
	*out = pkg;
	return 0;
}

int lb_drv_package_load(const char *path, struct lb_drv_package **out)
{
	struct lb_drv_package *pkg = calloc(1, sizeof *pkg);
	if (!pkg)
		return lb_fail(LB_E_NOMEM, "out of memory");
	int rc = lb_inf_load(path, &pkg->inf);
	return finish(pkg, rc == 0 ? model_package(pkg, path) : rc, out);
}

int lb_drv_package_parse(const char *name, const void *data, size_t len, struct lb_drv_package **out)
{
	struct lb_drv_package *pkg = calloc(1, sizeof *pkg);
	if (!pkg)
		return lb_fail(LB_E_NOMEM, "out of memory");
	int rc = lb_inf_parse(name, data, len, &pkg->inf);
	return finish(pkg, rc == 0 ? model_package(pkg, name) : rc, out);
}

void lb_drv_package_free(struct lb_drv_package *pkg)
{
	if (!pkg)
		return;
	for (size_t i = 0; i < pkg->nmodels; i++) {
		for (size_t j = 0; j < pkg->models[i].ndevices; j++)
			free(pkg->models[i].devices[j].ids);
		free(pkg->models[i].devices);
	}
	free(pkg->models);
	lb_inf_free(pkg->inf);
	free(pkg->path);
	free(pkg->dir);
	free(pkg);
}

const char *lb_drv_package_catalog(const struct lb_drv_package *pkg, enum lb_arch arch)
{
	char key[40];
	const char *v;
	snprintf(key, sizeof key, "CatalogFile.NT%s", lb_arch_name(arch));
	if (arch != LB_ARCH_ANY && (v = lb_inf_value(pkg->inf, "Version", key)))
		return v;
	if ((v = lb_inf_value(pkg->inf, "Version", "CatalogFile.NT")))
		return v;
	return lb_inf_value(pkg->inf, "Version", "CatalogFile");
}

bool lb_drv_class_is_storage(const char *class_guid)
{
	return class_guid && (strcasecmp(class_guid, "{4D36E97B-E325-11CE-BFC1-08002BE10318}") == 0 ||
			      strcasecmp(class_guid, "{4D36E96A-E325-11CE-BFC1-08002BE10318}") == 0);
}
