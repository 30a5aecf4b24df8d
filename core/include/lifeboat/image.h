/* The .lbi image engine: capture a file system, partition or whole disk into
 * an image (file, split volumes or pipe), and restore, verify or describe
 * one. The format is documented in core/image/FORMAT.md. */
#ifndef LIFEBOAT_IMAGE_H
#define LIFEBOAT_IMAGE_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lifeboat/io.h"

enum lb_codec_id {
	LB_CODEC_NONE = 0,
	LB_CODEC_ZSTD = 1,
	LB_CODEC_ZLIB = 2,
	LB_CODEC_BZIP2 = 3,
};

/* Parses "zstd", "zstd:N", "zlib:N", "bzip2", "none" (level 0 = default). */
int lb_codec_parse(const char *spec, int *codec, int *level);
const char *lb_codec_name(int codec);

enum lb_image_kind {
	LB_IMAGE_FS = 1,    /* one file system or partition */
	LB_IMAGE_DISK = 2,  /* a whole disk: table, boot code, gaps, partitions */
};

#define LB_IMAGE_PART_BOOTABLE 1u
#define LB_IMAGE_PART_SECTOR_COPY 2u   /* every byte copied (no map) */
#define LB_IMAGE_PART_NOT_CAPTURED 4u  /* left out (capture --partitions); restore leaves it alone */

struct lb_image_part {
	unsigned number;        /* 0 for a file-system image */
	unsigned flags;         /* LB_IMAGE_PART_* */
	uint64_t offset;        /* bytes from the start of the source */
	uint64_t size;
	uint64_t block_size;
	uint64_t used_bytes;
	uint8_t type_guid[16];
	uint8_t part_guid[16];
	uint8_t mbr_type;
	char fs[16];
	char label[64];
	char name[96];
};

enum lb_encryption {
	LB_ENCRYPT_NONE = 0,
	LB_ENCRYPT_AES256GCM = 1,   /* AES-256-GCM per chunk, key from scrypt */
};

/* Key derivation and checks of an encrypted image (header bytes 88..151). */
struct lb_image_kdf {
	uint8_t method;            /* 1: scrypt */
	uint8_t log2_n, r, p;      /* scrypt cost: N = 2^log2_n */
	uint8_t salt[16];
	uint8_t key_check[16];
	uint8_t auth[16];          /* HMAC of header and metadata */
};

struct lb_image_info {
	uint16_t version_major, version_minor;
	uint8_t uuid[16];
	uint64_t created;          /* Unix seconds */
	char tool[32];
	char comment[256];
	int codec, level;
	uint32_t chunk_size;
	uint64_t volume_size;      /* split images: bytes per volume file; 0: one volume */
	uint32_t encryption;       /* LB_ENCRYPT_* */
	struct lb_image_kdf kdf;   /* when encrypted */
	enum lb_image_kind kind;
	uint64_t source_size;
	uint32_t sector_size;
	uint32_t table_type;       /* 0 none, 1 MBR, 2 GPT */
	uint32_t mbr_signature;
	uint8_t disk_guid[16];
	char model[64];
	uint64_t used_bytes;       /* bytes stored (decoded), all partitions and gaps */
	unsigned part_count;
	struct lb_image_part *parts;
	/* From the trailer; only known once read (seekable images at open). */
	bool has_trailer;
	uint64_t chunk_count;
	uint64_t image_bytes;
};

struct lb_progress {
	const char *stage;   /* "capture", "restore", "verify" */
	uint64_t done;       /* decoded bytes handled so far */
	uint64_t total;
};
typedef void (*lb_progress_fn)(const struct lb_progress *p, void *ctx);

struct lb_capture_opts {
	int codec, level;
	uint32_t chunk_size;       /* 0: 8 MiB */
	unsigned threads;          /* 0: one per online CPU */
	bool sector_by_sector;
	const unsigned *partitions; /* whole disks: only these partitions' data (table, */
	unsigned partition_count;   /* boot code and gaps always); 0: every partition */
	uint64_t split_size;       /* 0: one volume */
	const char *comment;
	const char *password;      /* non-NULL: encrypt with a key derived from it */
	uint64_t kdf_memory;       /* memory scrypt takes (lb_kdf_memory_valid); 0: 128 MiB */
	lb_progress_fn progress;
	void *progress_ctx;
	volatile sig_atomic_t *cancel;
};

/* Whether bytes is a memory size capture accepts for key derivation: a
 * power of two from 1 MiB to 256 MiB. */
bool lb_kdf_memory_valid(uint64_t bytes);

/* Captures src into path ("-" = standard output). A source holding an MBR
 * or GPT is captured as a whole disk, anything else as one file system. */
int lb_image_capture(struct lb_dev *src, const char *path, const struct lb_capture_opts *o);

struct lb_image;

/* Asked when volume n of a split image is missing; name is the volume's
 * file name, why what was found instead. Fills dir with a folder to look
 * in and returns 0, or returns <0 to give up. */
typedef int (*lb_ask_volume_fn)(void *ctx, const char *name, unsigned n, const char *why, char *dir, size_t len);

struct lb_open_opts {
	const char *const *volume_dirs;  /* more folders holding volumes 2, 3, ... */
	unsigned volume_dir_count;
	lb_ask_volume_fn ask_volume;     /* NULL: a missing volume is an error */
	void *ask_ctx;
};

/* Opens an image (path "-" = standard input, read once in order). Header
 * and metadata are checked; on a seekable image, the trailer and index too.
 * Volumes 2, 3, ... of a split image are looked for next to the first, then
 * in o's folders, then where o->ask_volume says; each must carry the
 * image's UUID and its own number. o may be NULL. */
int lb_image_open_opts(const char *path, const struct lb_open_opts *o, struct lb_image **out);
int lb_image_open(const char *path, struct lb_image **out);
const struct lb_image_info *lb_image_get_info(const struct lb_image *img);
bool lb_image_seekable(const struct lb_image *img);
/* Derives the key of an encrypted image from password and checks it
 * ("wrong password") and the header and metadata it authenticates; does
 * nothing for an image that is not encrypted. Chunks of an encrypted image
 * cannot be read before this succeeded. */
int lb_image_unlock(struct lb_image *img, const char *password);
bool lb_image_locked(const struct lb_image *img);
/* The trailer's whole-image digest as "xxh128:HEX" (for reports; the bytes
 * as stored); LB_E_NOTFOUND before a stream was read to the end. */
int lb_image_digest(const struct lb_image *img, char *out, size_t size);
void lb_image_close(struct lb_image *img);

struct lb_restore_opts {
	unsigned partition;    /* 0: all the image holds; N: partition N of a disk image */
	bool whole_partition_target; /* partition restore: the target is the partition itself */
	bool fill_free;        /* zero what the image does not hold */
	bool discard;          /* discard it instead */
	bool resume;           /* write only chunks that differ on the target */
	bool verify_first;     /* read and check the whole image before writing */
	bool new_identity;     /* fresh disk and partition GUIDs / MBR signature */
	bool grow_last;        /* grow the last partition to the end of a larger disk */
	bool into_free_space;  /* partition restore: into a new partition in free space of the target disk */
	const char *table_backup; /* into_free_space: file receiving the old table's sectors */
	unsigned threads;
	lb_progress_fn progress;
	void *progress_ctx;
	volatile sig_atomic_t *cancel;
};

/* What a restore will do, computed before anything is written. */
struct lb_restore_plan {
	uint64_t source_offset;   /* range of the image's address space restored */
	uint64_t source_size;
	uint64_t target_offset;   /* where it lands on the target */
	uint64_t needed_bytes;    /* the target must be at least this big */
	uint64_t target_size;
	uint64_t write_bytes;     /* decoded bytes the image holds for that range */
	bool move_gpt_backup;     /* larger disk: the backup GPT moves to the end */
	unsigned part_index;      /* index into info->parts for a partition restore */
	/* into_free_space: the entry added to the target's table once the data is written */
	bool new_partition;
	unsigned new_number;      /* as Linux will name it */
	uint32_t new_table_type;  /* 1 MBR, 2 GPT */
	unsigned new_sector_size;
	uint64_t new_start_lba, new_size_lba;
	/* MBR logical partition: the EBR describing it (new, or the empty first
	 * one of the extended partition), the EBR linking to it (0: none, the
	 * new entry goes into the first EBR), and the extended partition's start */
	bool new_logical;
	uint64_t new_ebr_lba, link_ebr_lba, extended_lba;
};

/* Checks that the image fits target (size, sector size, partition number)
 * and fills plan; writes nothing. With into_free_space, the partition goes
 * into the first free region of target's partition table (1 MiB aligned)
 * that holds it, under a free entry; refused, saying how much is needed,
 * when none does. */
int lb_restore_check(struct lb_image *img, struct lb_dev *target, const struct lb_restore_opts *o,
		     struct lb_restore_plan *plan);

/* Restores; every chunk is checked before its bytes are written. On a bad
 * chunk it stops and the message names the range that was not restored.
 * into_free_space: the data goes into the free region first; only then are
 * the old table's sectors saved to o->table_backup and the new entry written
 * (backup GPT before the primary), so an interrupted restore leaves the
 * table as it was. */
int lb_image_restore(struct lb_image *img, struct lb_dev *target, const struct lb_restore_opts *o,
		     const struct lb_restore_plan *plan);

/* Reads every chunk, the index and the whole-image digest. */
int lb_image_verify(struct lb_image *img, lb_progress_fn progress, void *progress_ctx,
		    volatile sig_atomic_t *cancel);

/* Refusals checked before the target is opened for writing: a mounted
 * target (or a disk with a mounted partition, or a file backing a loop
 * device that is mounted), and a target on the disk holding the image or
 * being the image file or one of its volumes (image_path "-" is not
 * checked). */
int lb_target_check_not_mounted(const char *target_path);
int lb_target_check_not_image_disk(const char *target_path, const char *image_path);

#endif
