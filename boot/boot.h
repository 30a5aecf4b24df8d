/* Boot loader installation for lifeboat-build: the signed UEFI chain
 * (shim -> GRUB -> kernel) and its trust checks, FAT file systems written
 * into image files at an offset (no loop device, no mount), and syslinux
 * for BIOS. Everything is driven through Debian's tools. */
#ifndef LIFEBOAT_BOOT_H
#define LIFEBOAT_BOOT_H

#include <stdbool.h>
#include <stdint.h>

#include "lifeboat/strbuf.h"

/* The signed UEFI binaries every medium ships. */
struct efi_chain {
	char *shim;        /* shimx64.efi.signed, installed as BOOTX64.EFI */
	char *mokmanager;  /* mmx64.efi.signed: shim aborts without it when asked to enrol */
	char *grub_cd;     /* gcdx64.efi.signed: prefix /boot/grub, for CDs and ISO ESPs */
	char *grub_disk;   /* grubx64.efi.signed: prefix /EFI/debian, else $cmdpath */
};

/* Finds the chain in dir (files shimx64.efi, mmx64.efi, gcdx64.efi,
 * grubx64.efi) or, with dir NULL, in Debian's signed packages. */
int efi_chain_find(const char *dir, struct efi_chain *out);
void efi_chain_free(struct efi_chain *chain);

/* Trust checks: each binary of the chain and the kernel carry an
 * Authenticode signature (sbverify), and the chain's SBAT generations are
 * at least the revocation level shim ships (.sbatlevel, latest) and the
 * minimum table of builder/sbat_minimum.c. */
int efi_chain_check(const struct efi_chain *chain, const char *kernel);

/* Appends one "signed by SUBJECT (issuer ISSUER)" line per Authenticode
 * signature (or "unsigned") to report; returns 1 when signed, 0 when not. */
int efi_signature(const char *path, struct lb_strbuf *report);
/* Signature validity (image hash and signature checked by sbverify
 * --cert): shim against Microsoft Corporation UEFI CA 2011, which firmware
 * trusts (the copy in shim's signature, pinned by its fingerprint); a
 * binary shim loads against shim's vendor certificate. 0 when valid; a
 * "signature verifies against ..." line goes to report when given. */
int efi_verify_shim(const char *shim, struct lb_strbuf *report);
int efi_verify_loaded(const char *shim, const char *path, struct lb_strbuf *report);

/* One section of a PE file (objcopy), "" when it has none. */
int efi_section(const char *path, const char *section, struct lb_strbuf *out);
/* The .sbat section of an EFI binary (CSV), "" when it has none. */
int efi_sbat(const char *path, struct lb_strbuf *csv);
/* Checks csv against the level lines "component,generation" in levels. */
int sbat_check(const char *what, const char *csv, const char *levels);
/* The latest revocation level embedded in shim (.sbatlevel). */
int sbat_shim_level(const char *shim, struct lb_strbuf *levels);

/* A FAT file system of size bytes at offset in image (created when
 * create is true and offset is 0): mkfs.vfat with fixed id and label. */
struct fat_spec {
	const char *image;
	uint64_t offset;
	uint64_t size;
	int fat_bits;        /* 12, 16, 32, or 0 for mkfs.vfat's choice */
	const char *label;
	uint32_t volume_id;
	bool create;         /* make the image file itself (mkfs.vfat -C) */
};
int fat_format(const struct fat_spec *fat);
/* Copies every entry of src_dir into the FAT root, times preserved (mcopy). */
int fat_copy_tree(const struct fat_spec *fat, const char *src_dir);

/* Copies a FAT32 boot sector at offset to its backup (after syslinux
 * rewrote the first), so fsck.vfat finds them equal. */
int fat32_copy_boot_sector(const char *image, uint64_t offset);

/* BIOS boot from a FAT partition at offset of a disk image: syslinux in
 * the partition (files in /syslinux) and syslinux's MBR boot code. */
int syslinux_install(const char *image, uint64_t offset);
/* Copies syslinux's menu modules (ldlinux.c32, menu.c32, chain.c32...) to dir. */
int syslinux_modules_copy(const char *dir);

#endif
