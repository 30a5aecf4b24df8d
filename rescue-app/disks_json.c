/* `lifeboat disks --json`: one object per disk, fields as documented in
 * README.md ("lifeboat disks --json"). */
#include "disks_report.h"

#include <stdio.h>

/* A string field that is null when empty. */
static void string_or_null(struct lb_json *j, const char *key, const char *value)
{
	if (value && value[0])
		lb_json_string(j, key, value);
	else
		lb_json_null(j, key);
}

static void write_fs(struct lb_json *j, const struct lb_fs_info *fs)
{
	if (fs->type == LB_FS_UNKNOWN) {
		lb_json_null(j, "fs");
		return;
	}
	lb_json_begin_object(j, "fs");
	lb_json_string(j, "type", lb_fs_type_name(fs->type));
	string_or_null(j, "version", lb_fs_type_version(fs->type));
	string_or_null(j, "label", fs->label);
	string_or_null(j, "uuid", fs->uuid);
	lb_json_uint(j, "block_size", fs->block_size);
	lb_json_uint(j, "size", fs->size_bytes);
	lb_json_bool(j, "windows_present", fs->windows_present);
	lb_json_end_object(j);
}

static void write_partition(struct lb_json *j, const struct disk_report *r, const struct lb_partition *p)
{
	const struct lb_disk *disk = r->disk;
	char text[256];
	lb_json_begin_object(j, NULL);
	lb_json_uint(j, "number", p->number);
	disks_partition_spec(r, p, text, sizeof text);
	lb_json_string(j, "spec", text);
	disks_partition_node(r, p, text, sizeof text);
	string_or_null(j, "node", r->dev->is_block_device ? text : NULL);
	lb_json_uint(j, "start", p->start_lba);
	lb_json_uint(j, "end", p->start_lba + p->size_lba - 1);
	lb_json_uint(j, "sectors", p->size_lba);
	lb_json_uint(j, "start_bytes", p->start_bytes);
	lb_json_uint(j, "size", p->size_bytes);
	disks_type_code(disk, p, text, sizeof text);
	lb_json_string(j, "type", text);
	string_or_null(j, "type_name", lb_partition_type_name(disk, p));
	disks_partuuid(disk, p, text, sizeof text);
	lb_json_string(j, "partuuid", text);
	string_or_null(j, "name", disk->table == LB_TABLE_GPT ? p->name : NULL);
	lb_json_bool(j, "bootable", p->bootable);
	lb_json_bool(j, "extended", p->is_extended);
	lb_json_bool(j, "logical", p->is_logical);
	snprintf(text, sizeof text, "0x%016llx", (unsigned long long)p->attributes);
	lb_json_string(j, "attributes", text);
	disks_flags(disk, p, text, sizeof text);
	lb_json_string(j, "flags", text);
	write_fs(j, &p->fs);
	lb_json_end_object(j);
}

void disks_write_json(struct lb_json *j, const struct disk_report *r)
{
	const struct lb_disk *disk = r->disk;
	char id[64];
	lb_json_begin_object(j, NULL);
	lb_json_string(j, "path", disk->path);
	lb_json_string(j, "kind", r->dev->ops->kind);
	string_or_null(j, "model", disk->model);
	string_or_null(j, "serial", disk->serial);
	lb_json_uint(j, "size", disk->size_bytes);
	lb_json_uint(j, "sector_size", disk->sector_size);
	lb_json_uint(j, "physical_sector_size", r->dev->physical_sector_size > disk->sector_size
					     ? r->dev->physical_sector_size : disk->sector_size);
	lb_json_uint(j, "sectors", disk->size_bytes / disk->sector_size);
	lb_json_string(j, "table", lb_table_type_name(disk->table));
	disks_identifier(disk, id, sizeof id);
	string_or_null(j, "id", id);
	if (disk->table == LB_TABLE_GPT) {
		lb_json_uint(j, "first_lba", disk->first_usable_lba);
		lb_json_uint(j, "last_lba", disk->last_usable_lba);
	} else {
		lb_json_null(j, "first_lba");
		lb_json_null(j, "last_lba");
	}
	lb_json_bool(j, "gpt_backup_used", disk->gpt_used_backup);
	lb_json_bool(j, "hybrid_mbr", disk->hybrid_mbr);
	write_fs(j, &disk->whole_fs);
	lb_json_begin_array(j, "partitions");
	for (unsigned i = 0; i < disk->partition_count; i++)
		write_partition(j, r, &disk->partitions[i]);
	lb_json_end_array(j);
	lb_json_begin_array(j, "warnings");
	for (int i = 0; i < r->warning_count; i++)
		lb_json_string(j, NULL, r->warnings[i]);
	lb_json_end_array(j);
	lb_json_end_object(j);
}
