/* UEFI boot entries for the recovery partition on the running machine,
 * through efibootmgr: created without touching BootOrder, found again by
 * the partition's GUID (GPT) or disk signature and number (MBR), BootNext
 * for a one-time "reboot into Lifeboat", and removed with the partition. */
#ifndef LIFEBOAT_BUILD_EFIBOOT_H
#define LIFEBOAT_BUILD_EFIBOOT_H

#include <stdbool.h>

#define RECOVERY_LOADER "\\EFI\\lifeboat\\shimx64.efi"
#define RECOVERY_ENTRY_LABEL "Lifeboat"

/* Where the loader lies: disk device, partition number and how firmware
 * names the partition in a device path ("HD(4,GPT,<guid>" matched in
 * efibootmgr -v output, lower case). */
struct efiboot_target {
	const char *disk;
	unsigned partition;
	char match[80];
};

/* True when this machine booted through UEFI (efivars exist), so boot
 * entries can be written. Honours LIFEBOAT_SYSROOT for tests. */
bool efiboot_available(void);

/* The Boot#### number of the entry loading our loader from target, or -1. */
int efiboot_find(const struct efiboot_target *target, int *bootnum);
/* Finds or creates the entry; BootOrder stays as it was. */
int efiboot_ensure(const struct efiboot_target *target, int *bootnum);
/* Sets BootNext so the next boot (only) starts the entry. */
int efiboot_set_next(int bootnum);
/* Deletes the entry when there is one. */
int efiboot_remove(const struct efiboot_target *target);

#endif
