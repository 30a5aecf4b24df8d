/* Appending one partition to an existing MBR or GPT and taking it out
 * again, touching nothing else: the raw table sectors are read, one entry
 * slot is filled or zeroed, the CRCs are recomputed, and the sectors are
 * written back backup-first (GPT) so a crash leaves either the old or the
 * new table valid; a failed write puts the original bytes back. */
#ifndef LIFEBOAT_BUILD_PARTTABLE_H
#define LIFEBOAT_BUILD_PARTTABLE_H

#include <stdint.h>

#include "lifeboat/disk.h"
#include "lifeboat/io.h"
#include "lifeboat/strbuf.h"

/* The bytes of a table: GPT = sectors 0..end of the primary entry array and
 * the backup entry array..backup header; MBR = sector 0. */
struct table_region {
	uint64_t offset;
	uint32_t len;
	uint8_t *data;
};

struct part_table {
	enum lb_table_type type;
	unsigned sector_size;
	uint64_t disk_size;
	unsigned nregions;
	struct table_region region[2];
	uint32_t entry_count, entry_size;       /* GPT */
	uint64_t entries_lba[2], header_lba[2];  /* GPT: primary, backup */
};

/* The entry to add. */
struct part_entry {
	uint64_t start_lba, size_lba;
	uint8_t mbr_type;           /* MBR */
	uint8_t type_guid[16];      /* GPT, on-disk byte order */
	uint8_t part_guid[16];
	uint64_t attributes;
	const char *name;           /* ASCII */
};

/* Reads the table of dev (already read by lb_disk_read as disk); a GPT must
 * have both copies intact. */
int part_table_read(struct lb_dev *dev, const struct lb_disk *disk, struct part_table *out);
void part_table_free(struct part_table *t);
int part_table_copy(const struct part_table *src, struct part_table *dst);

/* Fills the first free slot with e; *number gets its partition number. */
int part_table_add(struct part_table *t, const struct part_entry *e, unsigned *number);
/* Empties the slot of partition number (GPT slot number-1, MBR primary). */
int part_table_remove(struct part_table *t, unsigned number);
/* True when both tables hold the same bytes. */
int part_table_equal(const struct part_table *a, const struct part_table *b);

/* Writes t (backup copy first, flushed, then the primary); on a write
 * error writes original back and fails. */
int part_table_write(struct lb_dev *dev, const struct part_table *t, const struct part_table *original);

/* The table as a backup file: a text header and the raw regions. */
void part_table_serialize(const struct part_table *t, unsigned added, struct lb_strbuf *out);
int part_table_parse(const char *data, size_t len, struct part_table *out, unsigned *added);

/* The unallocated extent (aligned to 1 MiB) nearest the end of the disk
 * that holds size bytes: *start_lba. *largest gets the largest free
 * extent in bytes. Fails with LB_E_REFUSED when none is large enough. */
int part_table_find_space(const struct lb_disk *disk, uint64_t size, uint64_t *start_lba, uint64_t *largest);

#endif
