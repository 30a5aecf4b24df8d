/* The FAT16/FAT32 pieces behind the FAT volume backend (winvol_fat.c):
 * the allocation table (fat_table.c) and directories (fat_dir.c). */
#ifndef LIFEBOAT_WINDOWS_FAT_H
#define LIFEBOAT_WINDOWS_FAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lifeboat/io.h"

#define ATTR_DIR 0x10
#define ATTR_VOLUME 0x08
#define ATTR_LFN 0x0f

struct fat_priv {
	struct lb_dev *dev;
	unsigned bits;              /* 16 or 32 */
	uint32_t cluster_size, nfats, clusters;  /* data clusters are 2 .. clusters+1 */
	uint64_t fat_off, fat_bytes;  /* the first FAT copy */
	uint64_t root_off;          /* FAT16: the fixed root directory */
	uint32_t root_entries;
	uint32_t root_cluster;      /* FAT32 */
	uint64_t data_off;          /* where cluster 2 starts */
	uint64_t fsinfo_off;        /* FAT32 FSInfo sector, 0 if none */
	uint8_t *fat;
};

struct fat_entry {
	bool is_dir;
	uint32_t cluster;           /* first cluster; 0 = empty file or FAT16 root */
	uint32_t size;
	uint64_t off;               /* device offset of its 32-byte short entry, 0 for the root */
};

/* --- fat_table.c --- */

uint64_t fat_cluster_off(const struct fat_priv *p, uint32_t n);

/* The clusters of a chain, in order (malloc'd); a chain that leaves the
 * volume, loops or hits a free entry is damage. */
int fat_chain(const struct fat_priv *p, uint32_t first, uint32_t **out, size_t *n);

/* Gives the file of entry e exactly `need` clusters: its chain is cut or
 * extended with free clusters in every FAT copy (FAT32 free count kept
 * exact); *cl receives the new chain, e->cluster its first cluster. */
int fat_resize_chain(struct fat_priv *p, struct fat_entry *e, size_t need, uint32_t **cl, size_t *n);

/* --- fat_dir.c --- */

/* fn(ctx, long name or "", short name, 32-byte entry, its device offset)
 * for each live entry of a directory except "." and ".."; non-zero stops
 * the walk and is returned. cluster 0 is the FAT16 root. */
typedef int (*fat_dir_fn)(void *ctx, const char *lname, const char *sname, const uint8_t *e, uint64_t off);
int fat_walk_dir(struct fat_priv *p, uint32_t cluster, fat_dir_fn fn, void *ctx);

/* The entry at a '/'-separated path ("" = the root), each component
 * matched ignoring case against the long and the short name. */
int fat_lookup(struct fat_priv *p, const char *target, const char *path, struct fat_entry *out);

#endif
