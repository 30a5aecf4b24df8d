/* The names `lifeboat disks` prints for partitions, identifiers, types and
 * flags, shared by its JSON and text output. */
#include "disks_report.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

void disks_partition_node(const struct disk_report *r, const struct lb_partition *p, char *out, size_t outlen)
{
	size_t n = strlen(r->dev->path);
	const char *sep = n > 0 && isdigit((unsigned char)r->dev->path[n - 1]) ? "p" : "";
	snprintf(out, outlen, "%s%s%u", r->dev->path, sep, p->number);
}

void disks_partition_spec(const struct disk_report *r, const struct lb_partition *p, char *out, size_t outlen)
{
	snprintf(out, outlen, "%s:%u", r->dev->path, p->number);
}

void disks_identifier(const struct lb_disk *disk, char *out, size_t outlen)
{
	char guid[37];
	switch (disk->table) {
	case LB_TABLE_GPT:
		lb_guid_to_string(disk->disk_guid, guid);
		snprintf(out, outlen, "%s", guid);
		break;
	case LB_TABLE_MBR:
		snprintf(out, outlen, "0x%08x", disk->mbr_signature);
		break;
	default:
		snprintf(out, outlen, "%s", "");
	}
}

void disks_type_code(const struct lb_disk *disk, const struct lb_partition *p, char *out, size_t outlen)
{
	char guid[37];
	if (disk->table == LB_TABLE_GPT) {
		lb_guid_to_string(p->type_guid, guid);
		snprintf(out, outlen, "%s", guid);
	} else {
		snprintf(out, outlen, "%x", p->mbr_type);
	}
}

void disks_partuuid(const struct lb_disk *disk, const struct lb_partition *p, char *out, size_t outlen)
{
	char guid[37];
	if (disk->table == LB_TABLE_GPT) {
		lb_guid_to_string(p->part_guid, guid);
		snprintf(out, outlen, "%s", guid);
	} else {
		snprintf(out, outlen, "%08x-%02x", disk->mbr_signature, p->number);
	}
}

/* Appends word to out, space separated. */
static void add_word(char *out, size_t outlen, const char *word)
{
	size_t n = strlen(out);
	snprintf(out + n, outlen - n, "%s%s", n ? " " : "", word);
}

void disks_flags(const struct lb_disk *disk, const struct lb_partition *p, char *out, size_t outlen)
{
	static const char *const low_bits[] = { "RequiredPartition", "NoBlockIOProtocol", "LegacyBIOSBootable" };
	out[0] = '\0';
	if (disk->table != LB_TABLE_GPT) {
		if (p->bootable)
			add_word(out, outlen, "boot");
		return;
	}
	for (unsigned bit = 0; bit < 3; bit++)
		if (p->attributes & (1ull << bit))
			add_word(out, outlen, low_bits[bit]);
	char guid_bits[128] = "";
	for (unsigned bit = 48; bit < 64; bit++) {
		if (!(p->attributes & (1ull << bit)))
			continue;
		size_t n = strlen(guid_bits);
		snprintf(guid_bits + n, sizeof guid_bits - n, "%s%u", n ? "," : "GUID:", bit);
	}
	if (guid_bits[0])
		add_word(out, outlen, guid_bits);
}
