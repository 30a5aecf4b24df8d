/* Internal to `lifeboat disks`: the two renderings of a disk's layout
 * (JSON and a human table) and the names they share. */
#ifndef LIFEBOAT_DISKS_REPORT_H
#define LIFEBOAT_DISKS_REPORT_H

#include <stddef.h>

#include "lifeboat/disk.h"
#include "lifeboat/json.h"

/* One disk read successfully, with the warnings its reading produced. */
struct disk_report {
	const struct lb_dev *dev;
	const struct lb_disk *disk;
	char **warnings;
	int warning_count;
};

/* "/dev/sda1", "/dev/nvme0n1p1" for block devices; NULL for image files. */
void disks_partition_node(const struct disk_report *r, const struct lb_partition *p, char *out, size_t outlen);
/* "IMAGE:N", what lifeboat commands accept for a partition. */
void disks_partition_spec(const struct disk_report *r, const struct lb_partition *p, char *out, size_t outlen);
/* The disk identifier: the GPT disk GUID, or the MBR signature as "0x1234abcd". */
void disks_identifier(const struct lb_disk *disk, char *out, size_t outlen);
/* The partition's type as sfdisk writes it: a GUID, or the MBR id in hex ("83"). */
void disks_type_code(const struct lb_disk *disk, const struct lb_partition *p, char *out, size_t outlen);
/* The partition's own identifier: its GPT GUID, or "1234abcd-01" on MBR disks. */
void disks_partuuid(const struct lb_disk *disk, const struct lb_partition *p, char *out, size_t outlen);
/* Flags as sfdisk names them ("boot"; "RequiredPartition", "GUID:62,63"),
 * space separated, "" if none. */
void disks_flags(const struct lb_disk *disk, const struct lb_partition *p, char *out, size_t outlen);

void disks_write_json(struct lb_json *j, const struct disk_report *r);
void disks_print_text(const struct disk_report *r);

#endif
