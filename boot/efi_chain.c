/* The signed UEFI boot chain (Debian's shim, MokManager and GRUB) and the
 * trust checks the builder applies before shipping it: an Authenticode
 * signature on every binary and the kernel (sbverify), SBAT generations
 * no lower than the revocation level shim carries and the minimum table,
 * and signatures that verify against what the boot trusts (authenticode.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "boot.h"
#include "lifeboat/error.h"
#include "../builder/run.h"
#include "../builder/sbat_minimum.h"
#include "../builder/stage.h"

static const struct {
	const char *file;     /* name in an --efi-dir */
	const char *debian;   /* path from the Debian package */
	const char *package;
} chain_files[] = {
	{ "shimx64.efi", "/usr/lib/shim/shimx64.efi.signed", "shim-signed" },
	{ "mmx64.efi", "/usr/lib/shim/mmx64.efi.signed", "shim-helpers-amd64-signed" },
	{ "gcdx64.efi", "/usr/lib/grub/x86_64-efi-signed/gcdx64.efi.signed", "grub-efi-amd64-signed" },
	{ "grubx64.efi", "/usr/lib/grub/x86_64-efi-signed/grubx64.efi.signed", "grub-efi-amd64-signed" },
};

int efi_chain_find(const char *dir, struct efi_chain *out)
{
	char **slots[] = { &out->shim, &out->mokmanager, &out->grub_cd, &out->grub_disk };
	memset(out, 0, sizeof *out);
	for (size_t i = 0; i < sizeof chain_files / sizeof *chain_files; i++) {
		char *path = dir ? path_join(dir, chain_files[i].file) : xasprintf("%s", chain_files[i].debian);
		if (access(path, R_OK) != 0) {
			int rc = lb_fail(LB_E_NOTFOUND, "signed boot file %s is missing (Debian package %s)",
					 path, chain_files[i].package);
			free(path);
			efi_chain_free(out);
			return rc;
		}
		*slots[i] = path;
	}
	return 0;
}

void efi_chain_free(struct efi_chain *chain)
{
	free(chain->shim);
	free(chain->mokmanager);
	free(chain->grub_cd);
	free(chain->grub_disk);
	memset(chain, 0, sizeof *chain);
}

int efi_signature(const char *path, struct lb_strbuf *report)
{
	struct lb_strbuf out;
	lb_strbuf_init(&out);
	/* sbverify --list exits non-zero on an unsigned image; its output decides. */
	run_toolv(&(struct run_io){ .out = &out }, "sbverify", "--list", path, NULL);
	lb_error_clear();
	const char *text = lb_strbuf_str(&out);
	int is_signed = strstr(text, "signature 1") != NULL;
	if (report && !is_signed)
		lb_strbuf_puts(report, "unsigned\n");
	/* Each "signature N" block: the signing certificate is listed first. */
	for (const char *sig = strstr(text, "signature "); report && sig; sig = strstr(sig + 1, "\nsignature ")) {
		const char *subject = strstr(sig, "subject: "), *issuer = strstr(sig, "issuer:  ");
		const char *next = strstr(sig + 1, "\nsignature ");
		if (!subject || !issuer || (next && subject > next))
			continue;
		subject += 9;
		issuer += 9;
		lb_strbuf_printf(report, "signed by %.*s (issuer %.*s)\n", (int)strcspn(subject, "\n"), subject,
				 (int)strcspn(issuer, "\n"), issuer);
	}
	lb_strbuf_free(&out);
	return is_signed;
}

int efi_section(const char *path, const char *section, struct lb_strbuf *out)
{
	char *work = NULL;
	int rc = stage_create("section", &work);
	if (rc)
		return rc;
	char *dump = path_join(work, "section");
	char *only = xasprintf("--only-section=%s", section);
	rc = run_toolv(NULL, "objcopy", "-O", "binary", only, path, dump, NULL);
	if (!rc && access(dump, R_OK) == 0)
		rc = read_text_file(dump, out);
	stage_remove(work);
	free(only);
	free(dump);
	free(work);
	return rc;
}

int efi_sbat(const char *path, struct lb_strbuf *csv)
{
	return efi_section(path, ".sbat", csv);
}

int sbat_shim_level(const char *shim, struct lb_strbuf *levels)
{
	struct lb_strbuf raw;
	lb_strbuf_init(&raw);
	int rc = efi_section(shim, ".sbatlevel", &raw);
	/* Header: u32 version, u32 offset of "previous", u32 offset of "latest",
	 * offsets counted from the end of the version field. */
	if (!rc && raw.len >= 12) {
		uint32_t latest;
		memcpy(&latest, raw.data + 8, sizeof latest);
		if ((size_t)latest + 4 < raw.len)
			lb_strbuf_puts(levels, raw.data + 4 + latest);
	}
	lb_strbuf_free(&raw);
	return rc;
}

/* The generation of component in an SBAT CSV, or -1 when not listed. */
static long sbat_generation(const char *csv, const char *component)
{
	size_t n = strlen(component);
	for (const char *line = csv; line && *line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL)
		if (strncmp(line, component, n) == 0 && line[n] == ',')
			return strtol(line + n + 1, NULL, 10);
	return -1;
}

int sbat_check(const char *what, const char *csv, const char *levels)
{
	for (const char *line = levels; line && *line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL) {
		size_t n = strcspn(line, ",\n");
		if (line[n] != ',' || strncmp(line, "sbat,", 5) == 0)
			continue;
		char *component = xasprintf("%.*s", (int)n, line);
		long need = strtol(line + n + 1, NULL, 10);
		long have = sbat_generation(csv, component);
		int rc = 0;
		if (have >= 0 && have < need)
			rc = lb_fail(LB_E_REFUSED, "%s: SBAT generation %s,%ld is revoked (current level %s,%ld); "
				     "update the signed boot packages", what, component, have, component, need);
		free(component);
		if (rc)
			return rc;
	}
	return 0;
}

int efi_chain_check(const struct efi_chain *chain, const char *kernel)
{
	const char *const binaries[] = { chain->shim, chain->mokmanager, chain->grub_cd, chain->grub_disk, kernel };
	struct lb_strbuf levels;
	lb_strbuf_init(&levels);
	sbat_minimum_levels(&levels);
	int rc = sbat_shim_level(chain->shim, &levels);
	for (size_t i = 0; !rc && i < sizeof binaries / sizeof *binaries; i++) {
		if (efi_signature(binaries[i], NULL) != 1) {
			rc = lb_fail(LB_E_REFUSED, "%s is not signed: Secure Boot firmware would refuse it", binaries[i]);
			break;
		}
		struct lb_strbuf csv;
		lb_strbuf_init(&csv);
		rc = efi_sbat(binaries[i], &csv);
		if (!rc)
			rc = sbat_check(binaries[i], lb_strbuf_str(&csv), lb_strbuf_str(&levels));
		lb_strbuf_free(&csv);
		if (!rc)
			rc = i == 0 ? efi_verify_shim(chain->shim, NULL) : efi_verify_loaded(chain->shim, binaries[i], NULL);
	}
	lb_strbuf_free(&levels);
	return rc;
}
