/* `lifeboat-build iso`: a hybrid ISO that boots as CD or dd'ed stick, on
 * BIOS (isolinux) and UEFI with Secure Boot (shim -> signed GRUB -> signed
 * kernel from an EFI partition image). Layouts (boot-media study §6):
 *   mbr     isolinux MBR, ISO at sector 64, ESP appended as MBR partition 2
 *   debian  Debian's nested layout: efi.img inside the ISO, basdat GPT
 *   gpt     appended ESP described by a GPT */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lifeboat/error.h"
#include "lifeboat/version.h"
#include "media.h"
#include "run.h"
#include "stage.h"

#define ISOLINUX_BIN "/usr/lib/ISOLINUX/isolinux.bin"
#define ISOHYBRID_MBR "/usr/lib/ISOLINUX/isohdpfx.bin"
#define ESP_TYPE_GUID "C12A7328-F81F-11D2-BA4B-00A0C93EC93B"
#define ISO_VOLUME_ID "LIFEBOAT_ISO"

struct iso_job {
	struct build_config *cfg;
	struct efi_chain chain;
	char *work, *tree, *esp_tree, *efi_img;
	char uuid[37];
};

/* The BIOS side: isolinux, its menu modules and menu. */
static int stage_isolinux(struct iso_job *job)
{
	char *dir = path_join(job->tree, "isolinux");
	char *bin = path_join(dir, "isolinux.bin");
	char *cfgfile = path_join(dir, "isolinux.cfg");
	int rc = stage_copy_file(ISOLINUX_BIN, bin, 0644);
	if (rc)
		rc = lb_fail_context(rc, "isolinux (Debian package isolinux)");
	if (!rc)
		rc = syslinux_modules_copy(dir);
	if (!rc)
		rc = menus_write(job->cfg, NULL, cfgfile, "/live/vmlinuz", "/live/initrd");
	free(dir);
	free(bin);
	free(cfgfile);
	return rc;
}

/* The UEFI side: the signed chain in the ESP image, whose first-stage
 * grub.cfg finds the medium by its tag file, and the menu on the ISO. */
static int stage_efi(struct iso_job *job)
{
	char *grub_cfg = path_join(job->tree, "boot/grub/grub.cfg");
	char *search_cfg = path_join(job->esp_tree, "boot/grub/grub.cfg");
	char *tag = xasprintf("/.disk/id/%s", job->uuid);
	const struct template_var vars[] = { { "TAG", tag }, { NULL, NULL } };
	int rc = menus_write(job->cfg, grub_cfg, NULL, "/live/vmlinuz", "/live/initrd");
	if (!rc)
		rc = chain_install(&job->chain, job->chain.grub_cd, job->esp_tree, "EFI/boot", 1);
	if (!rc)
		rc = template_write(job->cfg, "grub-search.cfg", vars, search_cfg, 0644);
	free(grub_cfg);
	free(search_cfg);
	free(tag);
	return rc;
}

static int stage_disk_info(struct iso_job *job)
{
	char *info = path_join(job->tree, ".disk/info");
	char *text = xasprintf("Lifeboat %s rescue medium (kernel %s)\n", lb_version(), job->cfg->kernel_version);
	char *tag = xasprintf("%s/.disk/id/%s", job->tree, job->uuid);
	int rc = stage_write_file(info, text, 0644);
	if (!rc)
		rc = stage_write_file(tag, "", 0644);
	free(info);
	free(text);
	free(tag);
	return rc;
}

/* efi.img: FAT sized to its files plus slack, reproducible (--invariant,
 * volume id from the medium id, fixed file times). */
static int make_efi_image(struct iso_job *job)
{
	uint64_t size = stage_size(job->esp_tree);
	size = (size + size / 8 + (512 << 10) + (1 << 20) - 1) & ~(uint64_t)((1 << 20) - 1);
	unsigned volume_id = 0;
	sscanf(job->uuid, "%8x", &volume_id);
	struct fat_spec fat = {
		.image = job->efi_img, .size = size, .label = "LIFEBOATEFI",
		.volume_id = volume_id, .create = true,
	};
	int rc = stage_set_times(job->esp_tree, job->cfg->epoch);
	if (!rc)
		rc = fat_format(&fat);
	if (!rc)
		rc = fat_copy_tree(&fat, job->esp_tree);
	if (!rc)
		rc = stage_set_times(job->efi_img, job->cfg->epoch);
	return rc;
}

static int run_xorriso(struct iso_job *job, const char *iso)
{
	const char *layout = job->cfg->layout;
	const char *argv[64];
	int n = 0;
	const char *common[] = { "xorriso", "-as", "mkisofs", "-quiet", "-r", "-J", "-joliet-long",
				 "-V", ISO_VOLUME_ID, "-isohybrid-mbr", ISOHYBRID_MBR };
	for (size_t i = 0; i < sizeof common / sizeof *common; i++)
		argv[n++] = common[i];
	if (strcmp(layout, "debian") != 0) {
		argv[n++] = "-partition_offset";
		argv[n++] = "16";
	}
	const char *bios[] = { "-b", "isolinux/isolinux.bin", "-c", "isolinux/boot.cat", "-boot-load-size", "4",
			       "-boot-info-table", "-no-emul-boot", "-eltorito-alt-boot" };
	for (size_t i = 0; i < sizeof bios / sizeof *bios; i++)
		argv[n++] = bios[i];
	if (strcmp(layout, "debian") == 0) {
		argv[n++] = "-e";
		argv[n++] = "boot/grub/efi.img";
		argv[n++] = "-no-emul-boot";
		argv[n++] = "-isohybrid-gpt-basdat";
	} else {
		argv[n++] = "-e";
		argv[n++] = "--interval:appended_partition_2:all::";
		argv[n++] = "-no-emul-boot";
		argv[n++] = "-append_partition";
		argv[n++] = "2";
		argv[n++] = strcmp(layout, "gpt") == 0 ? ESP_TYPE_GUID : "0xef";
		argv[n++] = job->efi_img;
		if (strcmp(layout, "gpt") == 0)
			argv[n++] = "-appended_part_as_gpt";
	}
	argv[n++] = "-o";
	argv[n++] = iso;
	argv[n++] = job->tree;
	argv[n] = NULL;
	return run_tool(argv, NULL);
}

static int iso_make(struct iso_job *job)
{
	struct build_config *cfg = job->cfg;
	int rc = chain_prepare(cfg, &job->chain);
	if (rc)
		return rc;
	rc = stage_create("iso", &job->work);
	if (rc)
		return rc;
	job->tree = path_join(job->work, "tree");
	job->esp_tree = path_join(job->work, "esp");
	job->efi_img = strcmp(cfg->layout, "debian") == 0 ? path_join(job->tree, "boot/grub/efi.img")
							   : path_join(job->work, "efi.img");
	char *kernel = path_join(job->tree, "live/vmlinuz");
	char *initrd = path_join(job->tree, "live/initrd");
	char *iso = path_join(job->work, "lifeboat.iso");
	rc = payload_install(cfg, job->tree, "live/vmlinuz", "live/initrd");
	if (!rc)
		rc = medium_id(cfg, kernel, initrd, job->uuid);
	if (!rc)
		rc = stage_disk_info(job);
	if (!rc)
		rc = stage_isolinux(job);
	if (!rc)
		rc = stage_efi(job);
	if (!rc)
		rc = make_efi_image(job);
	if (!rc)
		rc = stage_set_times(job->tree, cfg->epoch);
	if (!rc)
		rc = run_xorriso(job, iso);
	if (!rc)
		rc = output_install(iso, cfg->output);
	free(kernel);
	free(initrd);
	free(iso);
	return rc;
}

int build_iso(struct build_config *cfg)
{
	struct iso_job job = { .cfg = cfg };
	int rc = iso_make(&job);
	stage_remove(job.work);
	efi_chain_free(&job.chain);
	free(job.work);
	free(job.tree);
	free(job.esp_tree);
	free(job.efi_img);
	return rc;
}
