/* `lifeboat drivers inspect PATH [--json]`: what a driver package (a folder
 * of .inf files or one .inf) contains — class, provider, version, catalog,
 * Models per architecture/OS decoration with hardware IDs and install
 * sections, services, files, and whether it is boot-critical. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "cli.h"
#include "commands.h"
#include "lifeboat/driver_pkg.h"
#include "lifeboat/error.h"
#include "lifeboat/json.h"
#include "lifeboat/pe.h"
#include "lifeboat/strbuf.h"

/* An install section as a Models line names it, for one architecture. */
struct install_ref {
	const char *install;
	enum lb_arch arch;
	struct lb_drv_install resolved;
};

struct inspected {
	struct lb_drv_package *pkg;
	struct install_ref refs[64];
	size_t nrefs;
	bool boot_critical;
};

static const char *start_name(unsigned start)
{
	static const char *const names[] = { "boot", "system", "automatic", "on demand", "disabled" };
	return start < 5 ? names[start] : "unknown";
}

static void version_text(const struct lb_drv_package *pkg, char *buf, size_t len)
{
	if (pkg->has_version)
		snprintf(buf, len, "%u.%u.%u.%u", pkg->version[0], pkg->version[1], pkg->version[2], pkg->version[3]);
	else
		snprintf(buf, len, "%s", "");
}

static void date_text(const struct lb_drv_package *pkg, char *buf, size_t len)
{
	if (pkg->has_date)
		snprintf(buf, len, "%04u-%02u-%02u", pkg->year, pkg->month, pkg->day);
	else
		snprintf(buf, len, "%s", "");
}

static int add_ref(struct inspected *in, const char *install, enum lb_arch arch)
{
	for (size_t i = 0; i < in->nrefs; i++)
		if (in->refs[i].arch == arch && strcasecmp(in->refs[i].install, install) == 0)
			return 0;
	if (in->nrefs == sizeof in->refs / sizeof in->refs[0])
		return lb_fail(LB_E_UNSUPPORTED, "%s: more than 64 install sections", in->pkg->inf->name);
	struct install_ref *r = &in->refs[in->nrefs];
	int rc = lb_drv_install_resolve(in->pkg, install, arch, &r->resolved);
	if (rc < 0)
		return rc;
	r->install = install;
	r->arch = arch;
	in->nrefs++;
	const struct lb_drv_service *s = lb_drv_install_function_service(&r->resolved);
	if (s && s->has_start && s->start == 0)
		in->boot_critical = true;
	return 0;
}

static int inspect_one(const char *path, struct inspected *in)
{
	memset(in, 0, sizeof *in);
	int rc = lb_drv_package_load(path, &in->pkg);
	for (size_t i = 0; rc == 0 && i < in->pkg->nmodels; i++) {
		const struct lb_drv_models *m = &in->pkg->models[i];
		for (size_t d = 0; rc == 0 && d < m->ndevices; d++)
			rc = add_ref(in, m->devices[d].install, m->dec.arch);
	}
	return rc;
}

static void inspected_free(struct inspected *in)
{
	for (size_t i = 0; i < in->nrefs; i++)
		lb_drv_install_clear(&in->refs[i].resolved);
	lb_drv_package_free(in->pkg);
}

/* Where a package file would land, as "system32\drivers\x.sys" or "DIRID 13\x.sys". */
static void destination_text(const struct lb_drv_file *f, struct lb_strbuf *sb)
{
	enum lb_dirid_base base;
	const char *dir;
	if (lb_dirid_lookup(f->dirid, &base, &dir) == 0 && base == LB_DIRID_WINDOWS)
		lb_strbuf_printf(sb, "%%SystemRoot%%%s%s", *dir ? "\\" : "", dir);
	else if (f->dirid == 13)
		lb_strbuf_puts(sb, "<driver store>");
	else
		lb_strbuf_printf(sb, "DIRID %ld", f->dirid);
	lb_error_clear();
	if (*f->subdir)
		lb_strbuf_printf(sb, "\\%s", f->subdir);
	lb_strbuf_printf(sb, "\\%s", f->name);
}

/* "x86-64, signed" for a package file that is a PE image, "" otherwise. */
static void binary_text(const struct lb_drv_package *pkg, const struct lb_drv_file *f, struct lb_strbuf *sb)
{
	char path[4096];
	struct lb_pe_info pe;
	snprintf(path, sizeof path, "%s/%s", pkg->dir, f->source_path);
	struct stat st;
	if (stat(path, &st) != 0)
		lb_strbuf_puts(sb, "missing from the package");
	else if (lb_pe_inspect(path, &pe) == 0)
		lb_strbuf_printf(sb, "PE %s, %s", lb_pe_machine_name(pe.machine),
				 pe.has_signature ? "embedded signature" : "no embedded signature");
	lb_error_clear();
}

static void json_strings(struct lb_json *j, const char *key, char **list, size_t n)
{
	lb_json_begin_array(j, key);
	for (size_t i = 0; i < n; i++)
		lb_json_string(j, NULL, list[i]);
	lb_json_end_array(j);
}

static void json_service(struct lb_json *j, const struct lb_drv_service *s)
{
	lb_json_begin_object(j, NULL);
	lb_json_string(j, "name", s->name);
	lb_json_uint(j, "flags", s->flags);
	lb_json_string(j, "section", s->section);
	if (s->has_type)
		lb_json_uint(j, "type", s->type);
	if (s->has_start)
		lb_json_uint(j, "start", s->start);
	if (s->has_error_control)
		lb_json_uint(j, "error_control", s->error_control);
	lb_json_string(j, "group", s->group);
	lb_json_string(j, "binary", s->binary);
	lb_json_string(j, "image_path", s->image_path);
	lb_json_string(j, "display_name", s->display_name);
	json_strings(j, "dependencies", s->dependencies, s->ndependencies);
	json_strings(j, "addreg", s->addreg, s->naddreg);
	lb_json_end_object(j);
}

static void json_install(struct lb_json *j, const struct lb_drv_package *pkg, const struct install_ref *r)
{
	struct lb_strbuf sb;
	lb_strbuf_init(&sb);
	lb_json_begin_object(j, NULL);
	lb_json_string(j, "install", r->install);
	lb_json_string(j, "arch", lb_arch_name(r->arch));
	lb_json_string(j, "section", r->resolved.section);
	lb_json_begin_array(j, "services");
	for (size_t i = 0; i < r->resolved.nservices; i++)
		json_service(j, &r->resolved.services[i]);
	lb_json_end_array(j);
	lb_json_begin_array(j, "files");
	for (size_t i = 0; i < r->resolved.nfiles; i++) {
		const struct lb_drv_file *f = &r->resolved.files[i];
		lb_json_begin_object(j, NULL);
		lb_json_string(j, "name", f->name);
		lb_json_string(j, "source", f->source_path);
		lb_json_int(j, "dirid", f->dirid);
		sb.len = 0;
		destination_text(f, &sb);
		lb_json_string(j, "destination", lb_strbuf_str(&sb));
		sb.len = 0;
		binary_text(pkg, f, &sb);
		lb_json_string(j, "binary", lb_strbuf_str(&sb));
		lb_json_end_object(j);
	}
	lb_json_end_array(j);
	json_strings(j, "hw_addreg", r->resolved.hw_addreg, r->resolved.nhw_addreg);
	json_strings(j, "needs", r->resolved.needs, r->resolved.nneeds);
	json_strings(j, "includes", r->resolved.includes, r->resolved.nincludes);
	lb_json_end_object(j);
	lb_strbuf_free(&sb);
}

static void json_models(struct lb_json *j, const struct lb_drv_models *m)
{
	lb_json_begin_object(j, NULL);
	lb_json_string(j, "manufacturer", m->manufacturer);
	lb_json_string(j, "section", m->base);
	lb_json_string(j, "decoration", m->decoration);
	lb_json_string(j, "arch", lb_arch_name(m->dec.arch));
	if (m->dec.has_version) {
		char v[32];
		snprintf(v, sizeof v, "%u.%u", m->dec.major, m->dec.minor);
		lb_json_string(j, "min_version", v);
	}
	if (m->dec.build)
		lb_json_uint(j, "min_build", m->dec.build);
	lb_json_bool(j, "present", m->present);
	lb_json_begin_array(j, "devices");
	for (size_t d = 0; d < m->ndevices; d++) {
		lb_json_begin_object(j, NULL);
		lb_json_string(j, "description", m->devices[d].description);
		lb_json_string(j, "install", m->devices[d].install);
		lb_json_string(j, "hardware_id", m->devices[d].ids[0]);
		lb_json_begin_array(j, "compatible_ids");
		for (size_t k = 1; k < m->devices[d].nids; k++)
			lb_json_string(j, NULL, m->devices[d].ids[k]);
		lb_json_end_array(j);
		lb_json_end_object(j);
	}
	lb_json_end_array(j);
	lb_json_end_object(j);
}

static void json_package(struct lb_json *j, const struct inspected *in)
{
	const struct lb_drv_package *pkg = in->pkg;
	char ver[64], date[16];
	version_text(pkg, ver, sizeof ver);
	date_text(pkg, date, sizeof date);
	lb_json_begin_object(j, NULL);
	lb_json_string(j, "inf", pkg->path);
	lb_json_string(j, "class", pkg->class_name);
	lb_json_string(j, "class_guid", pkg->class_guid);
	lb_json_string(j, "provider", pkg->provider);
	lb_json_string(j, "date", pkg->has_date ? date : NULL);
	lb_json_string(j, "version", pkg->has_version ? ver : NULL);
	lb_json_string(j, "catalog", lb_drv_package_catalog(pkg, LB_ARCH_ANY));
	lb_json_bool(j, "storage_class", lb_drv_class_is_storage(pkg->class_guid));
	lb_json_bool(j, "boot_critical", in->boot_critical);
	lb_json_begin_array(j, "models");
	for (size_t i = 0; i < pkg->nmodels; i++)
		if (pkg->models[i].present)
			json_models(j, &pkg->models[i]);
	lb_json_end_array(j);
	lb_json_begin_array(j, "installs");
	for (size_t i = 0; i < in->nrefs; i++)
		json_install(j, pkg, &in->refs[i]);
	lb_json_end_array(j);
	lb_json_end_object(j);
}

static void print_models(const struct lb_drv_models *m)
{
	printf("  Models [%s%s%s] of %s: arch %s", m->base, *m->decoration ? "." : "", m->decoration, m->manufacturer,
	       lb_arch_name(m->dec.arch));
	if (m->dec.has_version)
		printf(", Windows %u.%u or later", m->dec.major, m->dec.minor);
	if (m->dec.build)
		printf(", build %u or later", m->dec.build);
	printf("\n");
	for (size_t d = 0; d < m->ndevices; d++) {
		printf("    %s -> [%s]", m->devices[d].ids[0], m->devices[d].install);
		for (size_t k = 1; k < m->devices[d].nids; k++)
			printf("%s%s", k == 1 ? " compatible: " : ", ", m->devices[d].ids[k]);
		printf("\n");
	}
}

static void print_install(const struct lb_drv_package *pkg, const struct install_ref *r)
{
	struct lb_strbuf sb;
	lb_strbuf_init(&sb);
	printf("  Install [%s] for %s: section [%s]\n", r->install, lb_arch_name(r->arch), r->resolved.section);
	for (size_t i = 0; i < r->resolved.nservices; i++) {
		const struct lb_drv_service *s = &r->resolved.services[i];
		if (!*s->name) {
			printf("    service: none (null driver)\n");
			continue;
		}
		printf("    service %s%s: type %u, start %u (%s), error control %u, group \"%s\", binary %s\n", s->name,
		       s->flags & 0x2 ? " (function driver)" : "", s->type, s->start, start_name(s->start),
		       s->error_control, s->group, *s->image_path ? s->image_path : s->binary);
	}
	for (size_t i = 0; i < r->resolved.nfiles; i++) {
		const struct lb_drv_file *f = &r->resolved.files[i];
		sb.len = 0;
		destination_text(f, &sb);
		lb_strbuf_puts(&sb, "  ");
		binary_text(pkg, f, &sb);
		printf("    file %s -> %s\n", f->source_path, lb_strbuf_str(&sb));
	}
	for (size_t i = 0; i < r->resolved.nneeds; i++)
		printf("    needs %s (from an inbox INF)\n", r->resolved.needs[i]);
	lb_strbuf_free(&sb);
}

static void print_package(const struct inspected *in)
{
	const struct lb_drv_package *pkg = in->pkg;
	char ver[64], date[16];
	version_text(pkg, ver, sizeof ver);
	date_text(pkg, date, sizeof date);
	const char *cat = lb_drv_package_catalog(pkg, LB_ARCH_ANY);
	printf("%s\n", pkg->path);
	printf("  class: %s %s\n", pkg->class_name ? pkg->class_name : "(none)", pkg->class_guid ? pkg->class_guid : "");
	printf("  provider: %s\n", pkg->provider ? pkg->provider : "(none)");
	printf("  version: %s  date: %s\n", pkg->has_version ? ver : "(none)", pkg->has_date ? date : "(none)");
	printf("  catalog: %s\n", cat ? cat : "(none)");
	printf("  boot-critical: %s%s\n", in->boot_critical ? "yes (boot-start service)" : "no",
	       lb_drv_class_is_storage(pkg->class_guid) ? ", storage controller class" : "");
	for (size_t i = 0; i < pkg->nmodels; i++)
		if (pkg->models[i].present)
			print_models(&pkg->models[i]);
	for (size_t i = 0; i < in->nrefs; i++)
		print_install(pkg, &in->refs[i]);
}

int cmd_drivers_inspect(int argc, char **argv)
{
	const char *path = NULL;
	bool json = false;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--json") == 0)
			json = true;
		else if (argv[i][0] == '-' || path)
			return cli_usage_error("drivers", "unexpected argument '%s'", argv[i]);
		else
			path = argv[i];
	}
	if (!path)
		return cli_usage_error("drivers", "inspect needs a package folder or an .inf file");
	char **paths = NULL;
	size_t n = 0;
	struct stat st;
	if (stat(path, &st) != 0)
		return cli_fail("%s: %s", path, strerror(errno));
	if (S_ISDIR(st.st_mode)) {
		if (lb_drv_find_infs(path, &paths, &n) < 0)
			return cli_fail_core();
		if (n == 0) {
			lb_drv_paths_free(paths, n);
			return cli_fail("%s: no .inf file in this folder", path);
		}
	}
	struct lb_strbuf out;
	struct lb_json j;
	lb_strbuf_init(&out);
	lb_json_init(&j, &out);
	lb_json_begin_object(&j, NULL);
	lb_json_begin_array(&j, "packages");
	int rc = CLI_OK;
	for (size_t i = 0; i < (n ? n : 1) && rc == CLI_OK; i++) {
		struct inspected in;
		if (inspect_one(n ? paths[i] : path, &in) < 0)
			rc = cli_fail_core();
		else if (json)
			json_package(&j, &in);
		else
			print_package(&in);
		inspected_free(&in);
	}
	lb_json_end_array(&j);
	lb_json_end_object(&j);
	if (rc == CLI_OK && json)
		fputs(lb_strbuf_str(&out), stdout);
	lb_strbuf_free(&out);
	lb_drv_paths_free(paths, n);
	return rc;
}
