/* lb_fs_probe: reads the first bytes of a device once and asks each file
 * system probe in turn, the more specific signatures first (an encrypted
 * volume keeps a FAT-like boot sector, exFAT and NTFS look like FAT). */
#include "probe.h"
#include "lifeboat/error.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int (*const probes[])(const struct probe_source *, struct lb_fs_info *) = {
	probe_luks, probe_bitlocker, probe_ntfs, probe_exfat, probe_fat,
	probe_ext, probe_swap, probe_iso9660,
};

int lb_fs_probe(struct lb_dev *dev, struct lb_fs_info *out)
{
	memset(out, 0, sizeof *out);
	size_t head_len = dev->size < PROBE_HEAD_BYTES ? (size_t)dev->size : PROBE_HEAD_BYTES;
	uint8_t *head = calloc(1, PROBE_HEAD_BYTES);
	if (!head)
		return lb_fail(LB_E_NOMEM, "%s: out of memory", dev->path);
	int rc = lb_dev_read(dev, head, head_len, 0);
	struct probe_source src = { dev, head, head_len };
	for (size_t i = 0; rc == 0 && i < sizeof probes / sizeof probes[0]; i++) {
		rc = probes[i](&src, out);
		if (rc <= 0)
			memset(out, 0, sizeof *out);
	}
	free(head);
	return rc < 0 ? rc : 0;
}

void probe_set_label(struct lb_fs_info *fs, const uint8_t *raw, size_t len)
{
	if (len >= sizeof fs->label)
		len = sizeof fs->label - 1;
	size_t n = strnlen((const char *)raw, len);
	while (n > 0 && raw[n - 1] == ' ')
		n--;
	memcpy(fs->label, raw, n);
	fs->label[n] = '\0';
}

void probe_set_uuid(struct lb_fs_info *fs, const uint8_t raw[16])
{
	snprintf(fs->uuid, sizeof fs->uuid,
		 "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
		 raw[0], raw[1], raw[2], raw[3], raw[4], raw[5], raw[6], raw[7],
		 raw[8], raw[9], raw[10], raw[11], raw[12], raw[13], raw[14], raw[15]);
}

void probe_set_serial32(struct lb_fs_info *fs, const uint8_t *le)
{
	snprintf(fs->uuid, sizeof fs->uuid, "%02X%02X-%02X%02X", le[3], le[2], le[1], le[0]);
}

const char *lb_fs_type_name(enum lb_fs_type type)
{
	switch (type) {
	case LB_FS_EXT2: return "ext2";
	case LB_FS_EXT3: return "ext3";
	case LB_FS_EXT4: return "ext4";
	case LB_FS_NTFS: return "ntfs";
	case LB_FS_FAT12: case LB_FS_FAT16: case LB_FS_FAT32: return "vfat";
	case LB_FS_EXFAT: return "exfat";
	case LB_FS_SWAP: return "swap";
	case LB_FS_LUKS: return "crypto_LUKS";
	case LB_FS_BITLOCKER: return "BitLocker";
	case LB_FS_ISO9660: return "iso9660";
	default: return NULL;
	}
}

const char *lb_fs_type_version(enum lb_fs_type type)
{
	switch (type) {
	case LB_FS_FAT12: return "FAT12";
	case LB_FS_FAT16: return "FAT16";
	case LB_FS_FAT32: return "FAT32";
	default: return NULL;
	}
}
