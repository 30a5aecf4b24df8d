/* Preparing an injection: every package is loaded and checked before one
 * byte is written — a Models section for the target's architecture and
 * version, resolvable install sections without Include/Needs, each file
 * present in the package, each .sys built for the target's machine type,
 * and a warning when a 64-bit boot driver carries no embedded signature. */
#include "inject_internal.h"

#include <ctype.h>
#include <openssl/sha.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "lifeboat/error.h"
#include "lifeboat/io.h"
#include "lifeboat/pe.h"
#include "../util/grow.h"

int inject_read_local(const char *path, uint8_t **data, size_t *len)
{
	struct lb_dev *dev;
	int rc = lb_dev_open(path, LB_DEV_READ, &dev);
	if (rc < 0)
		return rc;
	*len = (size_t)dev->size;
	*data = malloc(*len ? *len : 1);
	rc = *data ? lb_dev_read(dev, *data, *len, 0) : lb_fail(LB_E_NOMEM, "out of memory");
	lb_dev_close(dev);
	if (rc < 0) {
		free(*data);
		*data = NULL;
	}
	return rc;
}

int inject_init(struct injection *inj, struct lb_win *win)
{
	memset(inj, 0, sizeof *inj);
	inj->win = win;
	int rc = lb_drv_win_target(win, &inj->target);
	if (rc < 0)
		return rc;
	char path[512];
	snprintf(path, sizeof path, "%s/System32/drivers/disk.sys", win->sysroot);
	if (lb_winvol_exists(win->vol, path) && lb_winvol_get_sd(win->vol, path, &inj->sd, &inj->sd_len) < 0) {
		inj->sd = NULL;
		lb_error_clear();
	}
	return 0;
}

void inject_free(struct injection *inj)
{
	for (size_t i = 0; i < inj->nunits; i++) {
		lb_drv_install_clear(&inj->units[i].inst);
		free(inj->units[i].ids);
	}
	free(inj->units);
	for (size_t i = 0; i < inj->npkgs; i++)
		lb_drv_package_free(inj->pkgs[i].pkg);
	free(inj->pkgs);
	free(inj->sd);
	memset(inj, 0, sizeof *inj);
}

static int add_id(struct inject_unit *u, const char *id)
{
	for (size_t i = 0; i < u->nids; i++)
		if (strcasecmp(u->ids[i], id) == 0)
			return 0;
	const char **p = realloc(u->ids, (u->nids + 1) * sizeof *p);
	if (!p)
		return lb_fail(LB_E_NOMEM, "out of memory");
	u->ids = p;
	u->ids[u->nids++] = id;
	return 0;
}

/* The unit of package index pkg for install, created (resolved) if new. */
static int unit_for(struct injection *inj, size_t pkg, const char *install, struct inject_unit **out)
{
	for (size_t i = 0; i < inj->nunits; i++) {
		if (inj->units[i].pkg == pkg && strcasecmp(inj->units[i].install, install) == 0) {
			*out = &inj->units[i];
			return 0;
		}
	}
	if (drv_grow((void **)&inj->units, &inj->cap_units, inj->nunits + 1, sizeof *inj->units) < 0)
		return lb_fail(LB_E_NOMEM, "out of memory");
	struct inject_unit *u = &inj->units[inj->nunits];
	memset(u, 0, sizeof *u);
	u->pkg = pkg;
	u->install = install;
	int rc = lb_drv_install_resolve(inj->pkgs[pkg].pkg, install, inj->target.arch, &u->inst);
	if (rc < 0)
		return rc;
	inj->nunits++;
	u->svc = lb_drv_install_function_service(&u->inst);
	*out = u;
	return 0;
}

static int check_binary(struct injection *inj, const struct inject_pkg *ip, const struct inject_unit *u,
			const struct lb_drv_file *f)
{
	char path[4096];
	struct stat st;
	snprintf(path, sizeof path, "%s/%s", ip->pkg->dir, f->source_path);
	if (stat(path, &st) != 0 || !S_ISREG(st.st_mode))
		return lb_fail(LB_E_NOTFOUND, "%s: %s is missing from the package (expected at %s)", ip->inf_name,
			       f->source, path);
	size_t n = strlen(f->name);
	if (n < 4 || strcasecmp(f->name + n - 4, ".sys") != 0)
		return 0;
	struct lb_pe_info pe;
	int rc = lb_pe_inspect(path, &pe);
	if (rc < 0)
		return rc;
	if (pe.machine != lb_arch_pe_machine(inj->target.arch))
		return lb_fail(LB_E_REFUSED, "%s: %s is built for %s, this Windows is %s", ip->inf_name, f->name,
			       lb_pe_machine_name(pe.machine), lb_arch_name(inj->target.arch));
	if (u->boot && !pe.has_signature && inj->target.arch != LB_ARCH_X86 && inj->target.major >= 6)
		lb_warn("%s has no embedded signature: 64-bit Windows %u.%u refuses to start an unsigned boot driver "
			"(stop 0x7B) unless test signing or signature enforcement is off", f->name, inj->target.major,
			inj->target.minor);
	return 0;
}

static int check_unit(struct injection *inj, struct inject_unit *u)
{
	const struct inject_pkg *ip = &inj->pkgs[u->pkg];
	if (u->inst.nneeds || u->inst.nincludes)
		return lb_fail(LB_E_UNSUPPORTED, "%s: install section [%s] needs sections of inbox INF files (%s), "
			       "which offline injection cannot resolve", ip->inf_name, u->inst.section,
			       u->inst.nincludes ? u->inst.includes[0] : u->inst.needs[0]);
	u->boot = u->svc && u->svc->has_start && u->svc->start == 0 && lb_drv_class_is_storage(ip->pkg->class_guid);
	for (size_t i = 0; i < u->inst.nfiles; i++) {
		int rc = check_binary(inj, ip, u, &u->inst.files[i]);
		if (rc < 0)
			return rc;
	}
	if (u->boot && !*u->svc->binary_file)
		return lb_fail(LB_E_INVALID, "%s: boot service %s has no ServiceBinary", ip->inf_name, u->svc->name);
	return 0;
}

/* "name.inf_arch_<first 8 bytes of the INF's SHA-256 in hex>". */
static int make_label(struct injection *inj, struct inject_pkg *ip)
{
	uint8_t *data;
	size_t len;
	int rc = inject_read_local(ip->pkg->path, &data, &len);
	if (rc < 0)
		return rc;
	unsigned char md[SHA256_DIGEST_LENGTH];
	SHA256(data, len, md);
	free(data);
	snprintf(ip->label, sizeof ip->label, "%s_%s_%02x%02x%02x%02x%02x%02x%02x%02x", ip->inf_name,
		 lb_arch_name(inj->target.arch), md[0], md[1], md[2], md[3], md[4], md[5], md[6], md[7]);
	return 0;
}

static int add_package(struct injection *inj, const char *inf_path)
{
	if (drv_grow((void **)&inj->pkgs, &inj->cap_pkgs, inj->npkgs + 1, sizeof *inj->pkgs) < 0)
		return lb_fail(LB_E_NOMEM, "out of memory");
	struct inject_pkg *ip = &inj->pkgs[inj->npkgs];
	memset(ip, 0, sizeof *ip);
	int rc = lb_drv_package_load(inf_path, &ip->pkg);
	if (rc < 0)
		return rc;
	size_t index = inj->npkgs++;
	const char *base = strrchr(inf_path, '/');
	base = base ? base + 1 : inf_path;
	snprintf(ip->inf_name, sizeof ip->inf_name, "%s", base);
	for (char *p = ip->inf_name; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	snprintf(ip->stem, sizeof ip->stem, "%.*s", (int)strcspn(ip->inf_name, "."), ip->inf_name);
	snprintf(ip->stage, sizeof ip->stage, "%s/Lifeboat/Drivers/%s", inj->win->sysroot, ip->stem);
	if ((rc = make_label(inj, ip)) < 0)
		return rc;
	size_t selected = 0;
	for (size_t m = 0; m < ip->pkg->nmanufacturers; m++) {
		const struct lb_drv_models *models = lb_drv_select_models(ip->pkg, m, &inj->target);
		if (!models)
			continue;
		selected++;
		for (size_t d = 0; d < models->ndevices; d++) {
			struct inject_unit *u = NULL;
			const struct lb_drv_device *dev = &models->devices[d];
			if ((rc = unit_for(inj, index, dev->install, &u)) < 0)
				return rc;
			for (size_t k = 0; k < dev->nids; k++)
				if ((rc = add_id(u, dev->ids[k])) < 0)
					return rc;
		}
	}
	if (selected == 0)
		return ip->pkg->nmanufacturers ? LB_E_REFUSED
					      : lb_fail(LB_E_INVALID, "%s: no [Manufacturer] section, nothing to install",
							ip->inf_name);
	lb_error_clear();
	for (size_t i = 0; i < inj->nunits; i++)
		if (inj->units[i].pkg == index && (rc = check_unit(inj, &inj->units[i])) < 0)
			return rc;
	return 0;
}

int inject_add_path(struct injection *inj, const char *path)
{
	struct stat st;
	if (stat(path, &st) != 0)
		return lb_fail_errno(LB_E_NOTFOUND, "%s", path);
	if (!S_ISDIR(st.st_mode))
		return add_package(inj, path);
	char **infs;
	size_t n;
	int rc = lb_drv_find_infs(path, &infs, &n);
	if (rc < 0)
		return rc;
	if (n == 0)
		rc = lb_fail(LB_E_NOTFOUND, "%s: no .inf file in this folder", path);
	for (size_t i = 0; i < n && rc == 0; i++)
		rc = add_package(inj, infs[i]);
	lb_drv_paths_free(infs, n);
	return rc;
}
