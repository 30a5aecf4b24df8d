/* LUKS (1 and 2) header probe: magic, the UUID string both versions keep
 * at byte 168, and the label only LUKS2 has. */
#include "probe.h"
#include "lifeboat/bytes.h"

#include <string.h>

#define LUKS_UUID_OFFSET 168
#define LUKS_UUID_LEN 40
#define LUKS2_LABEL_OFFSET 24
#define LUKS2_LABEL_LEN 48

int probe_luks(const struct probe_source *src, struct lb_fs_info *fs)
{
	static const uint8_t magic[6] = { 'L', 'U', 'K', 'S', 0xBA, 0xBE };
	if (src->head_len < 512 || memcmp(src->head, magic, sizeof magic) != 0)
		return 0;
	uint16_t version = lb_be16(src->head + 6);
	if (version != 1 && version != 2)
		return 0;
	fs->type = LB_FS_LUKS;
	size_t n = strnlen((const char *)src->head + LUKS_UUID_OFFSET, LUKS_UUID_LEN);
	memcpy(fs->uuid, src->head + LUKS_UUID_OFFSET, n);
	fs->uuid[n] = '\0';
	if (version == 2)
		probe_set_label(fs, src->head + LUKS2_LABEL_OFFSET, LUKS2_LABEL_LEN);
	return 1;
}
