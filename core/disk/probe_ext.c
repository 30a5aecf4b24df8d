/* ext2/3/4 superblock probe. ext2, ext3 and ext4 are told apart by their
 * feature flags the way blkid does: a journal makes ext3, features beyond
 * what ext3 knows make ext4. */
#include "probe.h"
#include "lifeboat/bytes.h"

#define EXT_SUPERBLOCK_OFFSET 1024
#define EXT_MAGIC 0xEF53

#define COMPAT_HAS_JOURNAL 0x0004
#define INCOMPAT_FILETYPE 0x0002
#define INCOMPAT_RECOVER 0x0004
#define INCOMPAT_JOURNAL_DEV 0x0008
#define INCOMPAT_META_BG 0x0010
#define INCOMPAT_64BIT 0x0080
#define RO_COMPAT_EXT3_KNOWN 0x0007   /* sparse_super, large_file, btree_dir */
#define INCOMPAT_EXT3_KNOWN (INCOMPAT_FILETYPE | INCOMPAT_RECOVER | INCOMPAT_META_BG)

int probe_ext(const struct probe_source *src, struct lb_fs_info *fs)
{
	if (src->head_len < EXT_SUPERBLOCK_OFFSET + 1024)
		return 0;
	const uint8_t *sb = src->head + EXT_SUPERBLOCK_OFFSET;
	if (lb_le16(sb + 0x38) != EXT_MAGIC)
		return 0;
	uint32_t compat = lb_le32(sb + 0x5C), incompat = lb_le32(sb + 0x60), ro_compat = lb_le32(sb + 0x64);
	uint32_t log_block = lb_le32(sb + 0x18);
	if (incompat & INCOMPAT_JOURNAL_DEV || log_block > 6)
		return 0;
	if ((ro_compat & ~RO_COMPAT_EXT3_KNOWN) || (incompat & ~INCOMPAT_EXT3_KNOWN))
		fs->type = LB_FS_EXT4;
	else if (compat & COMPAT_HAS_JOURNAL)
		fs->type = LB_FS_EXT3;
	else
		fs->type = LB_FS_EXT2;
	probe_set_uuid(fs, sb + 0x68);
	probe_set_label(fs, sb + 0x78, 16);
	fs->block_size = 1024u << log_block;
	uint64_t blocks = lb_le32(sb + 0x04);
	if (incompat & INCOMPAT_64BIT)
		blocks |= (uint64_t)lb_le32(sb + 0x150) << 32;
	fs->size_bytes = blocks * fs->block_size;
	return 1;
}
