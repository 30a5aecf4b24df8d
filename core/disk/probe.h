/* Internal: the content probes, one per file system. Each looks at the
 * first bytes of a device (and may read more) and fills lb_fs_info the way
 * `blkid -p` reports it. They return 1 when recognised, 0 when not, or a
 * negative LB_E_* code when the device could not be read. */
#ifndef LIFEBOAT_PROBE_H
#define LIFEBOAT_PROBE_H

#include <stddef.h>
#include <stdint.h>

#include "lifeboat/disk.h"

/* Enough for every probe: swap's signature sits at the end of a page of up
 * to 64 KiB, ISO 9660's volume descriptor at 32 KiB. */
#define PROBE_HEAD_BYTES 65536

struct probe_source {
	struct lb_dev *dev;
	const uint8_t *head;   /* the first head_len bytes of dev */
	size_t head_len;
};

int probe_luks(const struct probe_source *src, struct lb_fs_info *fs);
int probe_bitlocker(const struct probe_source *src, struct lb_fs_info *fs);
int probe_ntfs(const struct probe_source *src, struct lb_fs_info *fs);
int probe_exfat(const struct probe_source *src, struct lb_fs_info *fs);
int probe_fat(const struct probe_source *src, struct lb_fs_info *fs);
int probe_ext(const struct probe_source *src, struct lb_fs_info *fs);
int probe_swap(const struct probe_source *src, struct lb_fs_info *fs);
int probe_iso9660(const struct probe_source *src, struct lb_fs_info *fs);

/* Copies a fixed-size on-disk label, dropping trailing spaces and NULs. */
void probe_set_label(struct lb_fs_info *fs, const uint8_t *raw, size_t len);
/* 16 raw bytes as a lower-case UUID (ext, swap). */
void probe_set_uuid(struct lb_fs_info *fs, const uint8_t raw[16]);
/* A 32-bit little-endian volume serial as "ABCD-1234" (FAT, exFAT). */
void probe_set_serial32(struct lb_fs_info *fs, const uint8_t *le);

#endif
