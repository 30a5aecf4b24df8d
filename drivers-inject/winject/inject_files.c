/* The files of an injection: a boot driver's files go to their DIRID folder
 * (13, the driver store, becomes 12 for boot drivers as virt-v2v does), and
 * every package is staged whole under <SystemRoot>\Lifeboat\Drivers\<name>
 * for the first-boot pnputil. New files get the security descriptor of
 * System32\drivers\disk.sys; a file already holding the same bytes is left
 * alone. Created files and folders are journaled: `win undo` removes them. */
#include "inject_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lifeboat/error.h"

/* Writes data to the volume path unless it already holds exactly that; a
 * replaced file is backed up and a new one journaled, so undo reverts both. */
static int put_file(struct injection *inj, struct lb_winop *op, struct lb_strbuf *report, const char *path,
		    const uint8_t *data, size_t len)
{
	struct lb_winvol *vol = inj->win->vol;
	int rc;
	if (lb_winvol_exists(vol, path)) {
		uint8_t *old;
		size_t old_len;
		if ((rc = lb_winvol_read(vol, path, &old, &old_len)) < 0)
			return rc;
		bool same = old_len == len && memcmp(old, data, len) == 0;
		free(old);
		if (same)
			return 0;
		if ((rc = lb_winop_replace_file(op, path, data, len)) < 0)
			return rc;
		lb_winop_note(op, "file %s replaced (%zu bytes)", path, len);
		lb_strbuf_printf(report, "replaced %s (%zu bytes)\n", path, len);
		return 0;
	}
	rc = lb_winop_create_file(op, path, data, len);
	if (rc == 0 && inj->sd)
		rc = lb_winvol_set_sd(vol, path, inj->sd, inj->sd_len);
	if (rc < 0)
		return rc;
	lb_winop_note(op, "file %s created (%zu bytes)", path, len);
	lb_strbuf_printf(report, "copied %s (%zu bytes)\n", path, len);
	return 0;
}

static int copy_local(struct injection *inj, struct lb_winop *op, struct lb_strbuf *report, const char *src,
		      const char *dst)
{
	uint8_t *data;
	size_t len;
	int rc = inject_read_local(src, &data, &len);
	if (rc < 0)
		return rc;
	rc = put_file(inj, op, report, dst, data, len);
	free(data);
	return rc;
}

/* Volume path of a boot driver file: <sysroot>/<DIRID folder>/<subdir>/<name>. */
static int destination(const struct injection *inj, const struct lb_drv_file *f, char *out, size_t len)
{
	enum lb_dirid_base base;
	const char *dir;
	long dirid = f->dirid == 13 ? 12 : f->dirid;
	int rc = lb_dirid_lookup(dirid, &base, &dir);
	if (rc < 0)
		return rc;
	if (base != LB_DIRID_WINDOWS)
		return lb_fail(LB_E_UNSUPPORTED, "%s: DIRID %ld is outside the Windows folder", f->name, f->dirid);
	int n = snprintf(out, len, "%s%s%s%s%s/%s", inj->win->sysroot, *dir ? "/" : "", dir, *f->subdir ? "/" : "",
			 f->subdir, f->name);
	if (n < 0 || (size_t)n >= len)
		return lb_fail(LB_E_INVALID, "%s: destination path too long", f->name);
	for (char *p = out; *p; p++)
		if (*p == '\\')
			*p = '/';
	return 0;
}

static int stage_package(struct injection *inj, const struct inject_pkg *ip, struct lb_winop *op,
			 struct lb_strbuf *report)
{
	char src[4096], dst[4096];
	snprintf(dst, sizeof dst, "%s/%s", ip->stage, strrchr(ip->pkg->path, '/') ? strrchr(ip->pkg->path, '/') + 1
										  : ip->pkg->path);
	int rc = copy_local(inj, op, report, ip->pkg->path, dst);
	const char *cat = lb_drv_package_catalog(ip->pkg, inj->target.arch);
	if (rc == 0 && cat) {
		snprintf(src, sizeof src, "%s/%s", ip->pkg->dir, cat);
		snprintf(dst, sizeof dst, "%s/%s", ip->stage, cat);
		if (access(src, R_OK) == 0)
			rc = copy_local(inj, op, report, src, dst);
		else
			lb_warn("%s: catalog %s is missing from the package; pnputil will refuse it unsigned", ip->inf_name, cat);
	}
	for (size_t u = 0; u < inj->nunits && rc == 0; u++) {
		if (&inj->pkgs[inj->units[u].pkg] != ip)
			continue;
		for (size_t i = 0; i < inj->units[u].inst.nfiles && rc == 0; i++) {
			const struct lb_drv_file *f = &inj->units[u].inst.files[i];
			snprintf(src, sizeof src, "%s/%s", ip->pkg->dir, f->source_path);
			snprintf(dst, sizeof dst, "%s/%s", ip->stage, f->source_path);
			rc = copy_local(inj, op, report, src, dst);
		}
	}
	return rc;
}

int inject_files(struct injection *inj, struct lb_winop *op, struct lb_strbuf *report)
{
	int rc = 0;
	for (size_t u = 0; u < inj->nunits && rc == 0; u++) {
		const struct inject_unit *unit = &inj->units[u];
		for (size_t i = 0; unit->boot && i < unit->inst.nfiles && rc == 0; i++) {
			char src[4096], dst[1024];
			const struct lb_drv_file *f = &unit->inst.files[i];
			snprintf(src, sizeof src, "%s/%s", inj->pkgs[unit->pkg].pkg->dir, f->source_path);
			if ((rc = destination(inj, f, dst, sizeof dst)) == 0)
				rc = copy_local(inj, op, report, src, dst);
		}
	}
	for (size_t p = 0; p < inj->npkgs && rc == 0; p++)
		rc = stage_package(inj, &inj->pkgs[p], op, report);
	return rc;
}
