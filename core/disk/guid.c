/* GUIDs as GPT stores them (first three fields little-endian) and their
 * canonical text form. */
#include "lifeboat/disk.h"
#include "lifeboat/bytes.h"
#include "lifeboat/error.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

void lb_guid_to_string(const uint8_t guid[16], char out[37])
{
	snprintf(out, 37, "%08X-%04X-%04X-%02X%02X-%02X%02X%02X%02X%02X%02X",
		 lb_le32(guid), lb_le16(guid + 4), lb_le16(guid + 6), guid[8], guid[9],
		 guid[10], guid[11], guid[12], guid[13], guid[14], guid[15]);
}

static int hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = (char)tolower((unsigned char)c);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

int lb_guid_from_string(const char *text, uint8_t guid[16])
{
	/* Text order of the 16 bytes: the first three groups are reversed on disk. */
	static const int disk_index[16] = { 3, 2, 1, 0, 5, 4, 7, 6, 8, 9, 10, 11, 12, 13, 14, 15 };
	if (strlen(text) != 36)
		return lb_fail(LB_E_INVALID, "%s: not a GUID", text);
	int byte = 0;
	for (int i = 0; i < 36;) {
		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (text[i++] != '-')
				return lb_fail(LB_E_INVALID, "%s: not a GUID", text);
			continue;
		}
		int hi = hex_value(text[i]), lo = hex_value(text[i + 1]);
		if (hi < 0 || lo < 0)
			return lb_fail(LB_E_INVALID, "%s: not a GUID", text);
		guid[disk_index[byte++]] = (uint8_t)(hi << 4 | lo);
		i += 2;
	}
	return 0;
}
