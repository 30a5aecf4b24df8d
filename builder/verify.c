/* `lifeboat-build verify MEDIUM`: reports the boot chain of an ISO, USB
 * stick image or disk with a Lifeboat recovery partition that
 * lifeboat-build made: which file the firmware starts, who signed shim,
 * GRUB and the kernel (sbverify) and whether each signature verifies
 * against what the boot trusts, their SBAT lines and the revocation
 * level they must meet, and which files each stage loads (read from the
 * GRUB and syslinux configs on the medium). Files come out through
 * mtools (FAT) and xorriso (ISO); nothing is mounted or written. Exit 1
 * when a binary is unsigned or revoked. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lifeboat/disk.h"
#include "lifeboat/error.h"
#include "media.h"
#include "run.h"
#include "sbat_minimum.h"
#include "stage.h"

struct medium {
	const char *path;
	char kind[96];
	char *esp;       /* mtools drive spec of the FAT the firmware reads */
	char *root_fat;  /* the medium's root when it is that FAT, NULL for an ISO */
	char *work;
	int seq;
	const char *shim;  /* shim fetched from the medium: the trust anchors */
	struct lb_strbuf levels;
	int problems;
};

static bool is_iso(const char *path)
{
	char sig[5] = "";
	FILE *f = fopen(path, "rb");
	bool yes = f && fseek(f, 32769, SEEK_SET) == 0 && fread(sig, 1, 5, f) == 5 && memcmp(sig, "CD001", 5) == 0;
	if (f)
		fclose(f);
	return yes;
}

/* The EFI image of an ISO: the El Torito UEFI boot image, as xorriso
 * extracts it (the appended partition or the nested efi.img). */
static int open_iso(struct medium *m)
{
	char *dir = path_join(m->work, "boot-images");
	int rc = stage_mkdir_p(dir);
	if (!rc)
		rc = run_toolv(NULL, "xorriso", "-osirrox", "on", "-indev", m->path, "-extract_boot_images", dir,
			       NULL);
	char *img = path_join(dir, "eltorito_img2_uefi.img");
	if (!rc && access(img, R_OK) != 0)
		rc = lb_fail(LB_E_INVALID, "%s: the ISO has no UEFI El Torito boot image", m->path);
	if (!rc) {
		m->esp = xasprintf("%s@@0", img);
		snprintf(m->kind, sizeof m->kind, "hybrid ISO (EFI boot image from El Torito)");
	}
	free(img);
	free(dir);
	return rc;
}

/* A disk image or device: our recovery partition, or a stick's FAT32. */
static int open_disk(struct medium *m)
{
	struct lb_dev *dev;
	struct lb_disk *disk = NULL;
	int rc = lb_dev_open(m->path, LB_DEV_READ, &dev);
	if (rc)
		return rc;
	rc = lb_disk_read(dev, &disk);
	const struct lb_partition *found = NULL;
	for (unsigned i = 0; !rc && i < disk->partition_count; i++) {
		const struct lb_partition *p = &disk->partitions[i];
		if (p->fs.type == LB_FS_FAT32 && strcmp(p->fs.label, "LIFEBOAT") == 0 && !found)
			found = p;
	}
	if (!rc && !found)
		rc = lb_fail(LB_E_NOTFOUND, "%s: no Lifeboat medium (an ISO, a stick or a disk with a LIFEBOAT "
			     "partition)", m->path);
	if (!rc) {
		bool recovery = found->mbr_type == 0x27 || (disk->table == LB_TABLE_GPT && found->attributes & 1);
		m->esp = xasprintf("%s@@%" PRIu64, m->path, found->start_bytes);
		m->root_fat = xasprintf("%s", m->esp);
		snprintf(m->kind, sizeof m->kind, "%s (partition %u, %s)",
			 recovery ? "disk with a Lifeboat recovery partition" : "USB stick", found->number,
			 lb_table_type_name(disk->table));
	}
	lb_disk_free(disk);
	lb_dev_close(dev);
	return rc;
}

/* Copies path from the EFI FAT (esp) or the medium's root into the work
 * directory; NULL when it is not there. */
static char *fetch(struct medium *m, bool esp, const char *path)
{
	char *dst = xasprintf("%s/f%d", m->work, m->seq++);
	const char *fat = esp ? m->esp : m->root_fat;
	int rc;
	if (fat) {
		char *src = xasprintf("::%s", path);
		rc = run_toolv(NULL, "mcopy", "-n", "-i", fat, src, dst, NULL);
		free(src);
	} else {
		rc = run_toolv(NULL, "xorriso", "-osirrox", "on", "-indev", m->path, "-extract", path, dst, NULL);
	}
	lb_error_clear();
	if (rc || access(dst, R_OK) != 0) {
		free(dst);
		return NULL;
	}
	return dst;
}

static void print_indented(const char *prefix, const char *text)
{
	for (const char *line = text; *line; line += strcspn(line, "\n") + (line[strcspn(line, "\n")] ? 1 : 0)) {
		int n = (int)strcspn(line, "\n");
		if (n > 0 && line[0] != '\0' && line[0] != ' ')
			printf("%s%.*s\n", prefix, n, line);
	}
}

/* Signatures and SBAT of one EFI binary (the kernel too). */
static void report_binary(struct medium *m, const char *what, const char *shown, const char *file)
{
	const char *shim = m->shim;
	struct lb_strbuf sig, sbat;
	lb_strbuf_init(&sig);
	lb_strbuf_init(&sbat);
	printf("  %s %s\n", what, shown);
	if (!file) {
		printf("      MISSING\n");
		m->problems++;
		lb_strbuf_free(&sig);
		lb_strbuf_free(&sbat);
		return;
	}
	if (efi_signature(file, &sig) != 1) {
		m->problems++;
	} else if (!shim || (file == shim ? efi_verify_shim(shim, &sig) : efi_verify_loaded(shim, file, &sig)) != 0) {
		const char *why = shim ? lb_error_message() : "no shim to take the trust anchor from";
		if (strncmp(why, file, strlen(file)) == 0 && why[strlen(file)] == ':')
			why += strlen(file) + 2;  /* the message names our temporary copy */
		lb_strbuf_printf(&sig, "INVALID: %s\n", why);
		m->problems++;
	}
	print_indented("      ", lb_strbuf_str(&sig));
	if (efi_sbat(file, &sbat) == 0 && sbat.len > 0 && sbat.data[0] != '\0') {
		print_indented("      SBAT: ", lb_strbuf_str(&sbat));
		if (sbat_check(shown, lb_strbuf_str(&sbat), lb_strbuf_str(&m->levels)) != 0) {
			printf("      REVOKED: %s\n", lb_error_message());
			m->problems++;
		}
	} else {
		printf("      SBAT: none\n");
	}
	lb_error_clear();
	lb_strbuf_free(&sig);
	lb_strbuf_free(&sbat);
}

/* The value after "keyword " on the first matching line of cfg (the
 * first word only), or NULL. */
static char *cfg_word(const char *cfg, const char *keyword, const char *after)
{
	size_t n = strlen(keyword);
	for (const char *line = cfg; line && *line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL) {
		line += strspn(line, " \t");
		if (strncasecmp(line, keyword, n) != 0 || (line[n] != ' ' && line[n] != '\t' && line[n] != '='))
			continue;
		const char *v = line + n + 1;
		if (after) {
			const char *a = strstr(v, after);
			if (!a || a > v + strcspn(v, "\n"))
				continue;
			v = a + strlen(after);
		}
		v += strspn(v, " \t");
		return xasprintf("%.*s", (int)strcspn(v, " \t\n"), v);
	}
	return NULL;
}

static char *read_fetched(struct medium *m, bool esp, const char *path)
{
	char *file = fetch(m, esp, path);
	struct lb_strbuf text;
	lb_strbuf_init(&text);
	if (file && read_text_file(file, &text) != 0)
		lb_error_clear();
	free(file);
	char *s = file ? xasprintf("%s", lb_strbuf_str(&text)) : NULL;
	lb_strbuf_free(&text);
	return s;
}

/* GRUB: its first config on the EFI FAT, the medium it finds by the tag
 * file, the menu, and the kernel and initramfs the menu boots. */
static void report_grub_and_kernel(struct medium *m)
{
	const char *first_path = "/EFI/debian/grub.cfg";
	char *first = read_fetched(m, true, first_path);
	if (!first) {
		first_path = "/boot/grub/grub.cfg";
		first = read_fetched(m, true, first_path);
	}
	if (!first) {
		printf("     reads no grub.cfg on the EFI partition: MISSING\n");
		m->problems++;
		return;
	}
	char *tag = cfg_word(first, "search", "--file");
	char *prefix = cfg_word(first, "set", "prefix=($root)");
	char *menu_path = xasprintf("%s/grub.cfg", prefix ? prefix : "/boot/grub");
	char *tag_file = tag ? fetch(m, false, tag) : NULL;
	printf("     reads %s (EFI partition): finds the medium by %s (%s), then %s\n", first_path,
	       tag ? tag : "-", tag_file ? "present" : "MISSING", menu_path);
	if (tag && !tag_file)
		m->problems++;
	char *menu = read_fetched(m, false, menu_path);
	char *kernel = menu ? cfg_word(menu, "linux", NULL) : NULL;
	char *initrd = menu ? cfg_word(menu, "initrd", NULL) : NULL;
	printf("     menu %s boots %s with %s\n", menu_path, kernel ? kernel : "MISSING", initrd ? initrd : "MISSING");
	char *kfile = kernel ? fetch(m, false, kernel) : NULL;
	report_binary(m, "3. kernel", kernel ? kernel : "-", kfile);
	char *ifile = initrd ? fetch(m, false, initrd) : NULL;
	char sha[65] = "";
	if (ifile && file_sha256(ifile, sha) == 0)
		printf("     loads %s (SHA-256 %s; not signed: Secure Boot does not check an initramfs, the "
		       "locked-down kernel only loads signed modules)\n", initrd, sha);
	else
		printf("     loads %s: MISSING\n", initrd ? initrd : "no initramfs");
	if (!ifile)
		m->problems++;
	free(first);
	free(tag);
	free(prefix);
	free(menu_path);
	free(tag_file);
	free(menu);
	free(kernel);
	free(initrd);
	free(kfile);
	free(ifile);
}

/* The BIOS side: syslinux or isolinux and what its menu boots. */
static void report_bios(struct medium *m)
{
	const char *cfg_path = m->root_fat ? "/syslinux/syslinux.cfg" : "/isolinux/isolinux.cfg";
	char *cfg = read_fetched(m, false, cfg_path);
	if (!cfg) {
		printf("BIOS: no %s (this medium boots through UEFI only)\n", cfg_path);
		return;
	}
	char *kernel = cfg_word(cfg, "KERNEL", NULL);
	char *initrd = cfg_word(cfg, "APPEND", "initrd=");
	printf("BIOS: %s reads %s and boots %s with %s (BIOS boot checks no signatures)\n",
	       m->root_fat ? "syslinux" : "isolinux", cfg_path, kernel ? kernel : "?", initrd ? initrd : "?");
	free(cfg);
	free(kernel);
	free(initrd);
}

static void report_chain(struct medium *m)
{
	const char *shim_path = m->root_fat && strstr(m->kind, "recovery") ? "/EFI/lifeboat/shimx64.efi"
									    : "/EFI/BOOT/BOOTX64.EFI";
	char *dir = xasprintf("%.*s", (int)(strrchr(shim_path, '/') - shim_path), shim_path);
	char *grub_path = xasprintf("%s/grubx64.efi", dir);
	char *mm_path = xasprintf("%s/mmx64.efi", dir);
	char *shim = fetch(m, true, shim_path), *grub = fetch(m, true, grub_path), *mm = fetch(m, true, mm_path);
	if (shim && sbat_shim_level(shim, &m->levels) != 0)
		lb_error_clear();
	m->shim = shim;
	printf("medium: %s, %s\n", m->path, m->kind);
	printf("UEFI Secure Boot chain (firmware -> shim -> GRUB -> kernel):\n");
	report_binary(m, "1. shim", shim_path, shim);
	printf("     loads %s, and %s (MokManager) only to enrol keys\n", grub_path, mm_path);
	report_binary(m, "   MokManager", mm_path, mm);
	report_binary(m, "2. GRUB", grub_path, grub);
	report_grub_and_kernel(m);
	printf("SBAT revocation level applied: ");
	for (const char *l = lb_strbuf_str(&m->levels); *l; l += strcspn(l, "\n") + (l[strcspn(l, "\n")] ? 1 : 0))
		printf("%.*s ", (int)strcspn(l, "\n"), l);
	printf("(shim's latest SbatLevel and builder/sbat_minimum.c)\n");
	report_bios(m);
	free(dir);
	free(grub_path);
	free(mm_path);
	free(shim);
	free(grub);
	free(mm);
}

int build_verify(struct build_config *cfg)
{
	if (cfg->argc != 1)
		return lb_fail(LB_E_USAGE, "verify takes one medium: an ISO, a stick image or a disk");
	struct medium m = { .path = cfg->argv[0] };
	lb_strbuf_init(&m.levels);
	sbat_minimum_levels(&m.levels);
	int rc = access(m.path, R_OK) == 0 ? 0 : lb_fail_errno(LB_E_NOTFOUND, "%s", m.path);
	if (!rc)
		rc = stage_create("verify", &m.work);
	if (!rc)
		rc = is_iso(m.path) ? open_iso(&m) : open_disk(&m);
	if (!rc) {
		report_chain(&m);
		if (m.problems)
			rc = lb_fail(LB_E_REFUSED, "%s: %d problem%s in the boot chain (marked above)", m.path,
				     m.problems, m.problems == 1 ? "" : "s");
		else
			printf("result: every EFI binary is signed and meets the SBAT level\n");
	}
	stage_remove(m.work);
	free(m.work);
	free(m.esp);
	free(m.root_fat);
	lb_strbuf_free(&m.levels);
	return rc;
}
