/* M.I.R. disk identity, SYSTEM side: which partition Windows now lives on
 * (GPT partition and disk GUIDs, or MBR disk signature and the partition's
 * byte offset, read from the disk behind TARGET), what SYSTEM's
 * MountedDevices says (\DosDevices\C: as a 12-byte MBR blob or "DMIO:ID:"
 * + GPT partition GUID, windows-offline.md §2.5), and the rewrite of every
 * MountedDevices value that named the old identity: the drive letter and
 * the volume GUID entries of the same partition. */
#include "mir_identity.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lifeboat/bytes.h"
#include "lifeboat/disk.h"
#include "lifeboat/error.h"

#define DMIO "DMIO:ID:"
#define DRIVE_C "\\DosDevices\\C:"

static void blob_of(const struct mir_disk_id *id, uint8_t *blob, size_t *len)
{
	if (id->gpt) {
		memcpy(blob, DMIO, 8);
		memcpy(blob + 8, id->part, 16);
		*len = 24;
	} else {
		memcpy(blob, id->disk, 4);
		memcpy(blob + 4, id->part, 8);
		*len = 12;
	}
}

static bool id_of_blob(const uint8_t *blob, size_t len, struct mir_disk_id *id)
{
	memset(id, 0, sizeof *id);
	if (len == 24 && memcmp(blob, DMIO, 8) == 0) {
		id->gpt = true;
		memcpy(id->part, blob + 8, 16);
		return true;
	}
	if (len != 12)
		return false;
	id->disk_known = true;
	memcpy(id->disk, blob, 4);
	memcpy(id->part, blob + 4, 8);
	return true;
}

void mir_describe_id(const struct mir_disk_id *id, bool with_disk, char *out, size_t len)
{
	char part[37], disk[37];
	if (!id->gpt) {
		snprintf(out, len, "MBR disk signature %08X, partition at byte %llu", (unsigned)lb_le32(id->disk),
			 (unsigned long long)lb_le64(id->part));
		return;
	}
	lb_guid_to_string(id->part, part);
	lb_guid_to_string(id->disk, disk);
	if (with_disk && id->disk_known)
		snprintf(out, len, "GPT partition {%s} of disk {%s}", part, disk);
	else
		snprintf(out, len, "GPT partition {%s}", part);
}

static void use_partition(const struct lb_disk *disk, const struct lb_partition *p, struct mir_identity *id)
{
	id->now.gpt = disk->table == LB_TABLE_GPT;
	id->now.disk_known = true;
	if (id->now.gpt) {
		memcpy(id->now.disk, disk->disk_guid, 16);
		memcpy(id->now.part, p->part_guid, 16);
	} else {
		lb_put_le32(id->now.disk, disk->mbr_signature);
		lb_put_le64(id->now.part, p->start_bytes);
	}
	for (unsigned i = 0; i < disk->partition_count; i++) {
		const struct lb_partition *q = &disk->partitions[i];
		if (lb_partition_is_esp(disk, q) && !id->has_esp) {
			id->has_esp = true;
			memcpy(id->esp_guid, q->part_guid, 16);
		}
		if (id->nstarts < sizeof id->starts / sizeof *id->starts)
			id->starts[id->nstarts++] = q->start_bytes;
	}
	blob_of(&id->now, id->now_blob, &id->now_len);
}

/* The identity of the partition behind TARGET; false (with the reason in
 * info) when TARGET is not a partition of a disk that can be read. */
static bool read_disk(struct lb_win *win, struct mir_identity *id, struct lb_strbuf *info)
{
	const char *target = lb_winvol_target(win->vol);
	char *disk_path = NULL;
	unsigned number = 0;
	struct lb_dev *dev = NULL;
	struct lb_disk *disk = NULL;
	if (strcmp(lb_winvol_kind(win->vol), "ntfs") != 0 || lb_dev_spec_locate(target, &disk_path, &number) < 0 ||
	    lb_dev_open(disk_path, LB_DEV_READ, &dev) < 0 || lb_disk_read(dev, &disk) < 0) {
		lb_strbuf_printf(info, "%s is not a partition of a disk that can be read (give DISK:N or the partition "
				       "device): MountedDevices and BCD disk identities are left as they are\n", target);
		lb_error_clear();
		lb_dev_close(dev);
		free(disk_path);
		return false;
	}
	lb_dev_close(dev);
	for (unsigned i = 0; i < disk->partition_count && !id->known; i++) {
		if (disk->partitions[i].number != number)
			continue;
		use_partition(disk, &disk->partitions[i], id);
		id->known = true;
	}
	snprintf(id->where, sizeof id->where, "partition %u of %s", number, disk_path);
	if (!id->known)
		lb_strbuf_printf(info, "%s has no partition %u: MountedDevices and BCD disk identities are left as they "
				       "are\n", disk_path, number);
	lb_disk_free(disk);
	free(disk_path);
	return id->known;
}

int mir_identity_plan(struct lb_win *win, struct lb_hive *system, struct mir_identity *id, struct lb_strbuf *info)
{
	memset(id, 0, sizeof *id);
	if (!read_disk(win, id, info))
		return 0;
	char now[160], old[160];
	mir_describe_id(&id->now, true, now, sizeof now);
	lb_strbuf_printf(info, "Windows lives on %s: %s\n", id->where, now);
	hive_node_h md = lb_hive_find(system, "MountedDevices");
	uint32_t type;
	uint8_t *data = NULL;
	size_t len = 0;
	if (!md || lb_hive_get_value(system, md, DRIVE_C, &type, &data, &len) < 0 || len > sizeof id->old_blob ||
	    !id_of_blob(data, len, &id->old)) {
		lb_strbuf_puts(info, "MountedDevices has no " DRIVE_C " for a disk partition: Windows assigns it at boot\n");
		free(data);
		lb_error_clear();
		return 0;
	}
	memcpy(id->old_blob, data, len);
	id->old_len = len;
	free(data);
	id->stale = len != id->now_len || memcmp(id->old_blob, id->now_blob, len) != 0;
	mir_describe_id(&id->old, true, old, sizeof old);
	if (id->stale)
		lb_strbuf_printf(info, "MountedDevices " DRIVE_C " names %s: the disk identity changed (restored with "
				       "--new-identity, or to another disk)\n", old);
	else
		lb_strbuf_puts(info, "MountedDevices " DRIVE_C " already names this partition\n");
	return 0;
}

/* The new form of a MountedDevices value, or false when it keeps its own. */
static bool new_value(const struct mir_identity *id, const uint8_t *data, size_t len, uint8_t *out, size_t *out_len)
{
	if (len == id->old_len && memcmp(data, id->old_blob, len) == 0) {
		memcpy(out, id->now_blob, id->now_len);
		*out_len = id->now_len;
		return true;
	}
	if (id->old.gpt || id->now.gpt || len != 12 || memcmp(data, id->old.disk, 4) != 0)
		return false;
	for (size_t i = 0; i < id->nstarts; i++) {
		if (lb_le64(data + 4) != id->starts[i])
			continue;
		memcpy(out, id->now.disk, 4);
		memcpy(out + 4, data + 4, 8);
		*out_len = 12;
		return true;
	}
	return false;
}

int mir_identity_system(struct regedit *rx, const struct mir_identity *id)
{
	if (!id->stale)
		return 0;
	hive_h *h = lb_hive_handle(rx->hive);
	hive_node_h md = lb_hive_find(rx->hive, "MountedDevices");
	hive_value_h *vals = md ? hivex_node_values(h, md) : NULL;
	if (!vals)
		return lb_fail(LB_E_INVALID, "SYSTEM: MountedDevices is unreadable");
	size_t n = 0;
	while (vals[n])
		n++;
	/* Decided first: setting a value rewrites the key's value list. */
	struct change {
		char *name;
		uint8_t blob[24];
		size_t len;
	} *changes = calloc(n + 1, sizeof *changes);
	size_t k = 0;
	int rc = changes ? 0 : lb_fail(LB_E_NOMEM, "out of memory");
	for (size_t i = 0; i < n && rc == 0; i++) {
		hive_type t;
		size_t len;
		char *name = hivex_value_key(h, vals[i]);
		char *data = name ? hivex_value_value(h, vals[i], &t, &len) : NULL;
		if (!data)
			rc = lb_fail(LB_E_INVALID, "SYSTEM: a MountedDevices value is unreadable");
		else if (t == hive_t_REG_BINARY && new_value(id, (const uint8_t *)data, len, changes[k].blob, &changes[k].len)) {
			changes[k++].name = name;
			name = NULL;
		}
		free(name);
		free(data);
	}
	for (size_t i = 0; i < k && rc == 0; i++)
		rc = rx_set(rx, "MountedDevices", changes[i].name, hive_t_REG_BINARY, changes[i].blob, changes[i].len, false);
	for (size_t i = 0; i < k; i++)
		free(changes[i].name);
	free(changes);
	free(vals);
	return rc;
}
