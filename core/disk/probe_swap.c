/* Linux swap area probe: the "SWAPSPACE2" signature at the end of the
 * first page (of any page size up to 64 KiB), UUID and label after the
 * 1 KiB of boot bits. */
#include "probe.h"
#include "lifeboat/bytes.h"

#include <string.h>

#define SWAP_INFO_OFFSET 1024

int probe_swap(const struct probe_source *src, struct lb_fs_info *fs)
{
	for (size_t page = 4096; page <= 65536; page *= 2) {
		if (src->head_len < page)
			return 0;
		const uint8_t *sig = src->head + page - 10;
		if (memcmp(sig, "SWAP-SPACE", 10) == 0) {
			fs->type = LB_FS_SWAP;
			fs->block_size = page;
			return 1;
		}
		if (memcmp(sig, "SWAPSPACE2", 10) != 0)
			continue;
		const uint8_t *info = src->head + SWAP_INFO_OFFSET;
		fs->type = LB_FS_SWAP;
		fs->block_size = page;
		fs->size_bytes = ((uint64_t)lb_le32(info + 4) + 1) * page;
		probe_set_uuid(fs, info + 12);
		probe_set_label(fs, info + 28, 16);
		return 1;
	}
	return 0;
}
