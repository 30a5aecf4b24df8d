/* Internal: the pieces of core/disk shared by the table readers (MBR, GPT),
 * the layout checks and the content probes. */
#ifndef LIFEBOAT_DISK_INTERNAL_H
#define LIFEBOAT_DISK_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "lifeboat/disk.h"

#define MBR_SIGNATURE_OFFSET 510
#define MBR_ENTRIES_OFFSET 446
#define MBR_ENTRY_SIZE 16
#define MBR_TYPE_GPT_PROTECTIVE 0xEE

/* One 16-byte MBR/EBR slot. */
struct mbr_entry {
	uint8_t status;
	uint8_t type;
	uint32_t start;
	uint32_t sectors;
};

void mbr_entry_parse(const uint8_t *sector, unsigned slot, struct mbr_entry *e);
bool mbr_has_boot_signature(const uint8_t *sector);

/* Appends a zeroed partition to disk->partitions; NULL when out of memory. */
struct lb_partition *disk_add_partition(struct lb_disk *disk);

/* Fills disk->partitions from the MBR in sector0 and its logical chain. */
int mbr_read(struct lb_dev *dev, const uint8_t *sector0, struct lb_disk *disk);

/* Fills the GPT fields and partitions of disk (primary, else backup). */
int gpt_read(struct lb_dev *dev, struct lb_disk *disk);

/* True when a GPT header signature sits at byte offset off of dev. */
bool gpt_signature_at(struct lb_dev *dev, uint64_t off);

/* Rejects partitions past the end of the disk, overlapping ones, and logical
 * partitions outside their extended partition. */
int disk_check_layout(const struct lb_disk *disk);

#endif
