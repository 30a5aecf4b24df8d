/* Shared steps of the iso, usb and recovery outputs: boot menus from the
 * templates, the kernel and initramfs, the signed EFI chain, medium ids. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "lifeboat/error.h"
#include "lifeboat/version.h"
#include "media.h"
#include "stage.h"

int menus_write(const struct build_config *cfg, const char *grub_cfg, const char *syslinux_cfg,
		const char *kernel, const char *initrd)
{
	char timeout[16], timeout_ds[16];
	snprintf(timeout, sizeof timeout, "%d", cfg->timeout);
	snprintf(timeout_ds, sizeof timeout_ds, "%d", cfg->timeout * 10);
	const struct template_var vars[] = {
		{ "KERNEL", kernel },
		{ "INITRD", initrd },
		{ "APPEND", cfg->append },
		{ "TIMEOUT", timeout },
		{ "TIMEOUT_DS", timeout_ds },
		{ "LIFEBOAT_VERSION", lb_version() },
		{ NULL, NULL },
	};
	int rc = 0;
	if (grub_cfg)
		rc = template_write(cfg, "grub.cfg", vars, grub_cfg, 0644);
	if (!rc && syslinux_cfg)
		rc = template_write(cfg, "syslinux.cfg", vars, syslinux_cfg, 0644);
	return rc;
}

int payload_install(struct build_config *cfg, const char *tree, const char *kernel_path, const char *initrd_path)
{
	char *kernel = path_join(tree, kernel_path);
	char *initrd = path_join(tree, initrd_path);
	int rc = stage_copy_file(cfg->kernel, kernel, 0644);
	if (!rc)
		rc = initramfs_make(cfg, initrd);
	free(kernel);
	free(initrd);
	return rc;
}

int chain_prepare(const struct build_config *cfg, struct efi_chain *chain)
{
	int rc = efi_chain_find(cfg->efi_dir, chain);
	if (!rc)
		rc = efi_chain_check(chain, cfg->kernel);
	if (rc)
		efi_chain_free(chain);
	return rc;
}

int chain_install(const struct efi_chain *chain, const char *grub, const char *tree, const char *dir,
		  int removable)
{
	const struct {
		const char *src, *name;
	} files[] = {
		{ chain->shim, removable ? "BOOTX64.EFI" : "shimx64.efi" },
		{ chain->mokmanager, "mmx64.efi" },
		{ grub, "grubx64.efi" },
	};
	int rc = 0;
	for (size_t i = 0; !rc && i < sizeof files / sizeof *files; i++) {
		char *dst = xasprintf("%s/%s/%s", tree, dir, files[i].name);
		rc = stage_copy_file(files[i].src, dst, 0644);
		free(dst);
	}
	return rc;
}

int medium_id(const struct build_config *cfg, const char *kernel, const char *initrd, char uuid[37])
{
	char kh[65], ih[65];
	int rc = file_sha256(kernel, kh);
	if (!rc)
		rc = file_sha256(initrd, ih);
	if (rc)
		return rc;
	char *seed = xasprintf("lifeboat %lld %s %s", (long long)cfg->epoch, kh, ih);
	unsigned char md[32];
	EVP_Digest(seed, strlen(seed), md, NULL, EVP_sha256(), NULL);
	free(seed);
	md[6] = (md[6] & 0x0f) | 0x50;  /* name-based UUID (version 5 layout) */
	md[8] = (md[8] & 0x3f) | 0x80;
	snprintf(uuid, 37, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
		 md[0], md[1], md[2], md[3], md[4], md[5], md[6], md[7], md[8], md[9], md[10], md[11],
		 md[12], md[13], md[14], md[15]);
	return 0;
}
