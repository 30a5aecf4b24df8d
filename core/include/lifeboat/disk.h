/* Disk layout model: the partition table (MBR with logical partitions, GPT,
 * protective and hybrid MBRs) of a device or image file, and what each
 * partition holds. Reading never writes; callers own the returned model. */
#ifndef LIFEBOAT_DISK_H
#define LIFEBOAT_DISK_H

#include <stdbool.h>
#include <stdint.h>

#include "lifeboat/io.h"

enum lb_table_type {
	LB_TABLE_NONE = 0,  /* no partition table: a bare file system or blank disk */
	LB_TABLE_MBR,
	LB_TABLE_GPT,
};

enum lb_fs_type {
	LB_FS_UNKNOWN = 0,
	LB_FS_EXT2, LB_FS_EXT3, LB_FS_EXT4,
	LB_FS_NTFS,
	LB_FS_FAT12, LB_FS_FAT16, LB_FS_FAT32,
	LB_FS_EXFAT,
	LB_FS_SWAP,
	LB_FS_LUKS,
	LB_FS_BITLOCKER,
	LB_FS_ISO9660,
};

/* What a probe of a partition's (or whole device's) first bytes found. */
struct lb_fs_info {
	enum lb_fs_type type;
	char label[256];        /* UTF-8, "" if none */
	char uuid[64];          /* as blkid prints it, "" if none */
	uint64_t block_size;    /* file system cluster/block size, 0 if unknown */
	uint64_t size_bytes;    /* size the file system says it has, 0 if unknown */
	bool windows_present;   /* NTFS holding Windows/System32/config/SYSTEM */
};

struct lb_partition {
	unsigned number;         /* 1-based, as Linux names it (sda5 = first logical) */
	uint64_t start_lba;      /* in logical sectors of the disk */
	uint64_t size_lba;
	uint64_t start_bytes;
	uint64_t size_bytes;
	/* MBR */
	uint8_t mbr_type;        /* 0 for GPT partitions */
	bool bootable;           /* MBR active flag (0x80) */
	bool is_extended;        /* the container of logical partitions */
	bool is_logical;
	uint64_t ebr_lba;        /* logical: the EBR that describes it */
	/* GPT */
	uint8_t type_guid[16];   /* mixed-endian on-disk bytes */
	uint8_t part_guid[16];
	uint64_t attributes;
	char name[145];          /* UTF-16LE name converted to UTF-8 */
	struct lb_fs_info fs;
};

struct lb_disk {
	char *path;
	char model[64];
	char serial[64];
	uint64_t size_bytes;
	unsigned sector_size;         /* logical */
	enum lb_table_type table;
	uint32_t mbr_signature;       /* MBR disk identifier */
	uint8_t disk_guid[16];        /* GPT */
	uint64_t first_usable_lba;    /* GPT */
	uint64_t last_usable_lba;     /* GPT */
	bool gpt_used_backup;         /* primary header damaged; backup read */
	bool hybrid_mbr;              /* GPT with MBR entries besides the 0xEE one */
	struct lb_fs_info whole_fs;   /* table == LB_TABLE_NONE: what the device holds */
	unsigned partition_count;
	struct lb_partition *partitions;
};

/* Reads the layout of dev and probes each partition's content. Fails on a
 * truncated device, overlapping or out-of-range partitions, a GPT damaged in
 * both copies, or a loop in an extended-partition chain; the message names
 * dev->path and says what is wrong. */
int lb_disk_read(struct lb_dev *dev, struct lb_disk **out);
void lb_disk_free(struct lb_disk *disk);

/* Opens "PATH" (a device or image file) or "PATH:N" (partition N of the
 * partition table on PATH, numbered as Linux does) for I/O. A partition is a
 * slice that owns the whole disk: lb_dev_close() on it closes both. */
int lb_dev_open_spec(const char *spec, int flags, struct lb_dev **out);

/* The disk and partition number behind "PATH:N" or a partition block
 * device (/dev/sda3 -> "/dev/sda", 3, through sysfs); *disk_path malloc'd.
 * LB_E_NOTFOUND for anything else (an image of one partition, a folder). */
int lb_dev_spec_locate(const char *spec, char **disk_path, unsigned *number);

/* Probes the content of dev (a partition or a bare file system). */
int lb_fs_probe(struct lb_dev *dev, struct lb_fs_info *out);

/* As blkid's TYPE= ("ext4", "vfat", "crypto_LUKS"...); NULL for unknown. */
const char *lb_fs_type_name(enum lb_fs_type type);
/* Whether an MBR partition type is an extended partition (05, 0F, 85). */
bool lb_mbr_type_is_extended(uint8_t type);
/* As blkid's VERSION= where it tells variants apart ("FAT32"), else NULL. */
const char *lb_fs_type_version(enum lb_fs_type type);
const char *lb_table_type_name(enum lb_table_type type); /* "dos", "gpt", "none" */
/* Human name of a partition type ("EFI System", "Linux filesystem"...), as
 * sfdisk prints it; NULL for a type it does not know. */
const char *lb_partition_type_name(const struct lb_disk *disk, const struct lb_partition *part);
/* An EFI system partition: GPT type C12A7328-..., or MBR type 0xEF. */
bool lb_partition_is_esp(const struct lb_disk *disk, const struct lb_partition *part);
/* Formats a GUID in its canonical text form (upper case, 36 chars + NUL). */
void lb_guid_to_string(const uint8_t guid[16], char out[37]);
int lb_guid_from_string(const char *text, uint8_t guid[16]);

#endif
