/* Used-block map of ext2/3/4 from the group block bitmaps: 64-bit and
 * flex_bg descriptors, meta_bg descriptor placement, and BLOCK_UNINIT
 * groups (whose bitmap is not written: only their own metadata is used). */
#include "fs_backends.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lifeboat/error.h"
#include "lifeboat/bytes.h"

#define SB_OFF 1024
#define EXT_MAGIC 0xEF53
#define INCOMPAT_META_BG 0x10
#define INCOMPAT_64BIT 0x80
#define RO_COMPAT_SPARSE_SUPER 0x1
#define BG_BLOCK_UNINIT 0x2

struct ext_fs {
	struct lb_dev *dev;
	uint64_t block_size, blocks, first_data_block, blocks_per_group, groups;
	uint32_t inodes_per_group, inode_size, desc_size, first_meta_bg, reserved_gdt;
	uint32_t incompat, ro_compat;
	uint8_t *bitmap;
};

static int ext_probe(const uint8_t *head, uint64_t dev_size)
{
	(void)dev_size;
	return lb_le16(head + SB_OFF + 56) == EXT_MAGIC;
}

static bool is_power_of(uint64_t n, uint64_t base)
{
	while (n > 1 && n % base == 0)
		n /= base;
	return n == 1;
}

static bool group_has_super(const struct ext_fs *fs, uint64_t group)
{
	if (group <= 1 || !(fs->ro_compat & RO_COMPAT_SPARSE_SUPER))
		return true;
	return is_power_of(group, 3) || is_power_of(group, 5) || is_power_of(group, 7);
}

static uint64_t group_first_block(const struct ext_fs *fs, uint64_t group)
{
	return fs->first_data_block + group * fs->blocks_per_group;
}

static uint64_t desc_per_block(const struct ext_fs *fs)
{
	return fs->block_size / fs->desc_size;
}

static uint64_t gdt_blocks(const struct ext_fs *fs)
{
	return (fs->groups + desc_per_block(fs) - 1) / desc_per_block(fs);
}

/* Block number of group descriptor block b. */
static uint64_t desc_block(const struct ext_fs *fs, uint64_t b)
{
	if (!(fs->incompat & INCOMPAT_META_BG) || b < fs->first_meta_bg)
		return fs->first_data_block + 1 + b;
	uint64_t group = b * desc_per_block(fs);
	return group_first_block(fs, group) + (group_has_super(fs, group) ? 1 : 0);
}

static int parse_super(struct ext_fs *fs, const uint8_t *sb)
{
	uint32_t log = lb_le32(sb + 24);
	if (log > 6)
		return lb_fail(LB_E_INVALID, "bad block size");
	fs->block_size = 1024ull << log;
	fs->incompat = lb_le32(sb + 96);
	fs->ro_compat = lb_le32(sb + 100);
	fs->blocks = lb_le32(sb + 4);
	fs->desc_size = 32;
	if (fs->incompat & INCOMPAT_64BIT) {
		fs->blocks |= (uint64_t)lb_le32(sb + 0x150) << 32;
		fs->desc_size = lb_le16(sb + 254);
	}
	fs->first_data_block = lb_le32(sb + 20);
	fs->blocks_per_group = lb_le32(sb + 32);
	fs->inodes_per_group = lb_le32(sb + 40);
	fs->inode_size = lb_le32(sb + 76) >= 1 ? lb_le16(sb + 88) : 128;
	fs->first_meta_bg = lb_le32(sb + 0x104);
	fs->reserved_gdt = lb_le16(sb + 0xCE);
	if (fs->desc_size < 32 || fs->desc_size > fs->block_size || (fs->desc_size & (fs->desc_size - 1)) ||
	    fs->blocks_per_group == 0 || fs->blocks_per_group > fs->block_size * 8 ||
	    fs->first_data_block >= fs->blocks || fs->inode_size < 128 || fs->inode_size > fs->block_size)
		return lb_fail(LB_E_INVALID, "superblock fields out of range");
	fs->groups = (fs->blocks - fs->first_data_block + fs->blocks_per_group - 1) / fs->blocks_per_group;
	return 0;
}

/* Blocks at the start of a group holding a superblock copy and group
 * descriptors: the classic table (and its reserved growth) after each
 * superblock copy; with meta_bg, past the first first_meta_bg descriptor
 * blocks, one descriptor block in the first, second and last group of
 * each meta group, whether or not the group has a superblock. */
static uint64_t base_meta_blocks(const struct ext_fs *fs, uint64_t group)
{
	uint64_t n = group_has_super(fs, group) ? 1 : 0;
	uint64_t per_block = desc_per_block(fs);
	bool meta_bg = fs->incompat & INCOMPAT_META_BG;
	if (!meta_bg || group < (uint64_t)fs->first_meta_bg * per_block) {
		if (n)
			n += (meta_bg ? fs->first_meta_bg : gdt_blocks(fs)) + fs->reserved_gdt;
		return n;
	}
	uint64_t meta_first = group / per_block * per_block;
	if (group == meta_first || group == meta_first + 1 || group == meta_first + per_block - 1)
		n++;
	return n;
}

/* Blocks a BLOCK_UNINIT group uses: superblock and descriptor copies, and
 * its own bitmaps and inode table when they lie inside it. */
static int add_uninit_group(struct ext_fs *fs, uint64_t group, const uint8_t *desc, struct lb_extents *used)
{
	uint64_t first = group_first_block(fs, group);
	uint64_t end = first + fs->blocks_per_group;
	if (end > fs->blocks)
		end = fs->blocks;
	int rc = 0;
	uint64_t base = base_meta_blocks(fs, group);
	if (base > end - first)
		base = end - first;
	if (base)
		rc = lb_extents_add(used, first * fs->block_size, base * fs->block_size);
	bool wide = fs->desc_size >= 64;
	uint64_t table = lb_le32(desc + 8) | (wide ? (uint64_t)lb_le32(desc + 0x28) << 32 : 0);
	uint64_t itable_blocks = ((uint64_t)fs->inodes_per_group * fs->inode_size + fs->block_size - 1) / fs->block_size;
	uint64_t starts[3] = { lb_le32(desc) | (wide ? (uint64_t)lb_le32(desc + 0x20) << 32 : 0),
			       lb_le32(desc + 4) | (wide ? (uint64_t)lb_le32(desc + 0x24) << 32 : 0), table };
	uint64_t lens[3] = { 1, 1, itable_blocks };
	/* bitmaps and table in block order so the extent list stays sorted */
	for (int pass = 0; rc == 0 && pass < 3; pass++) {
		int best = -1;
		for (int i = 0; i < 3; i++)
			if (lens[i] && (best < 0 || starts[i] < starts[best]))
				best = i;
		if (starts[best] >= first && starts[best] < end) {
			uint64_t n = lens[best];
			if (n > end - starts[best])
				n = end - starts[best];
			rc = lb_extents_add(used, starts[best] * fs->block_size, n * fs->block_size);
		}
		lens[best] = 0;
	}
	return rc;
}

static int add_group(struct ext_fs *fs, uint64_t group, const uint8_t *desc, struct lb_extents *used)
{
	if (lb_le16(desc + 0x12) & BG_BLOCK_UNINIT)
		return add_uninit_group(fs, group, desc, used);
	uint64_t bitmap = lb_le32(desc) | (fs->desc_size >= 64 ? (uint64_t)lb_le32(desc + 0x20) << 32 : 0);
	if (bitmap >= fs->blocks)
		return lb_fail(LB_E_INVALID, "group %llu: block bitmap out of range", (unsigned long long)group);
	int rc = lb_dev_read(fs->dev, fs->bitmap, fs->block_size, bitmap * fs->block_size);
	if (rc < 0)
		return rc;
	uint64_t first = group_first_block(fs, group);
	uint64_t n = fs->blocks_per_group;
	if (n > fs->blocks - first)
		n = fs->blocks - first;
	return lb_fs_add_bitmap(used, fs->bitmap, n, first, fs->block_size, 0);
}

static int ext_map(struct lb_dev *dev, const uint8_t *head, struct lb_fs_map *map)
{
	struct ext_fs fs = { .dev = dev };
	const uint8_t *sb = head + SB_OFF;
	int rc = parse_super(&fs, sb);
	if (rc < 0)
		return rc;
	uint32_t incompat = fs.incompat;
	snprintf(map->fs, sizeof map->fs, "%s", (incompat & 0x2c0) ? "ext4" : (lb_le32(sb + 92) & 0x4) ? "ext3" : "ext2");
	memcpy(map->label, sb + 120, 16);
	map->block_size = fs.block_size;
	uint8_t *descs = malloc(fs.block_size);
	fs.bitmap = malloc(fs.block_size);
	if (!descs || !fs.bitmap)
		rc = lb_fail(LB_E_NOMEM, "out of memory");
	if (rc == 0 && fs.first_data_block > 0)
		rc = lb_extents_add(&map->used, 0, fs.first_data_block * fs.block_size);
	uint64_t per_block = desc_per_block(&fs);
	for (uint64_t b = 0; rc == 0 && b < gdt_blocks(&fs); b++) {
		uint64_t blk = desc_block(&fs, b);
		if (blk >= fs.blocks) {
			rc = lb_fail(LB_E_INVALID, "group descriptors out of range");
			break;
		}
		rc = lb_dev_read(dev, descs, fs.block_size, blk * fs.block_size);
		for (uint64_t i = 0; rc == 0 && i < per_block && b * per_block + i < fs.groups; i++)
			rc = add_group(&fs, b * per_block + i, descs + i * fs.desc_size, &map->used);
	}
	free(descs);
	free(fs.bitmap);
	return rc;
}

const struct lb_fs_backend lb_fs_ext = { "ext", ext_probe, ext_map };
