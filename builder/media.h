/* Pieces every bootable medium shares: the boot menus, the kernel and
 * initramfs pair, the signed EFI files, and the medium's unique id. */
#ifndef LIFEBOAT_BUILD_MEDIA_H
#define LIFEBOAT_BUILD_MEDIA_H

#include "../boot/boot.h"
#include "build.h"

/* Renders grub.cfg and/or syslinux.cfg (either path may be NULL) for a
 * kernel and initramfs at the given paths on the medium. */
int menus_write(const struct build_config *cfg, const char *grub_cfg, const char *syslinux_cfg,
		const char *kernel, const char *initrd);

/* Puts the kernel at tree/KERNEL_PATH and the initramfs at tree/INITRD_PATH. */
int payload_install(struct build_config *cfg, const char *tree, const char *kernel_path, const char *initrd_path);

/* Finds the signed chain and applies the trust checks to it and the kernel. */
int chain_prepare(const struct build_config *cfg, struct efi_chain *chain);

/* Copies shim (as BOOTX64.EFI when boot_name is set, else shimx64.efi),
 * MokManager and the given GRUB (as grubx64.efi) into tree/dir. */
int chain_install(const struct efi_chain *chain, const char *grub, const char *tree, const char *dir,
		  int removable);

/* A 128-bit id for the medium from the epoch, kernel and initramfs, as
 * UUID text: stable for a reproducible build, new for every other one. */
int medium_id(const struct build_config *cfg, const char *kernel, const char *initrd, char uuid[37]);

#endif
