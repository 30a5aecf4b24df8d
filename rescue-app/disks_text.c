/* `lifeboat disks` for people: a disk header like `sfdisk -l`, then one
 * table row per partition with what blkid would say about its content. */
#include "disks_report.h"
#include "text_table.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

/* Binary size with one unit letter, as lsblk prints it ("512M", "1.5G"). */
static void human_size(uint64_t bytes, char *out, size_t outlen)
{
	static const char units[] = "BKMGTPE";
	double v = (double)bytes;
	unsigned u = 0;
	while (v >= 1024 && u + 1 < sizeof units - 1) {
		v /= 1024;
		u++;
	}
	double tenths = (double)(uint64_t)(v * 10 + 0.5) / 10;
	if (u == 0 || v >= 10 || tenths == (double)(uint64_t)tenths)
		snprintf(out, outlen, "%.0f%c", v, units[u]);
	else
		snprintf(out, outlen, "%.1f%c", tenths, units[u]);
}

static void print_header(const struct disk_report *r)
{
	const struct lb_disk *disk = r->disk;
	char size[32], id[64];
	human_size(disk->size_bytes, size, sizeof size);
	printf("Disk %s: %s, %" PRIu64 " bytes, %" PRIu64 " sectors\n", disk->path, size,
	       disk->size_bytes, disk->size_bytes / disk->sector_size);
	if (disk->model[0] || disk->serial[0])
		printf("Model: %s, serial: %s\n", disk->model[0] ? disk->model : "?", disk->serial[0] ? disk->serial : "?");
	printf("Sector size (logical/physical): %u bytes / %u bytes\n", disk->sector_size,
	       r->dev->physical_sector_size > disk->sector_size ? r->dev->physical_sector_size : disk->sector_size);
	disks_identifier(disk, id, sizeof id);
	printf("Disklabel type: %s\n", lb_table_type_name(disk->table));
	if (id[0])
		printf("Disk identifier: %s\n", id);
	if (disk->hybrid_mbr)
		printf("Hybrid MBR: the MBR also lists partitions besides the GPT one\n");
	if (disk->gpt_used_backup)
		printf("Read from: the backup GPT (the primary is damaged)\n");
	const struct lb_fs_info *fs = &disk->whole_fs;
	if (fs->type != LB_FS_UNKNOWN)
		printf("Content: %s%s%s%s%s%s\n", lb_fs_type_name(fs->type), fs->label[0] ? ", label " : "",
		       fs->label, fs->uuid[0] ? ", UUID " : "", fs->uuid,
		       fs->windows_present ? ", Windows installed" : "");
	for (int i = 0; i < r->warning_count; i++)
		printf("Warning: %s\n", r->warnings[i]);
}

static void add_partition_row(struct text_table *t, const struct disk_report *r, const struct lb_partition *p)
{
	const struct lb_disk *disk = r->disk;
	char device[4200], start[24], end[24], sectors[24], size[32], type[64], flags[256];
	if (r->dev->is_block_device)
		disks_partition_node(r, p, device, sizeof device);
	else
		disks_partition_spec(r, p, device, sizeof device);
	snprintf(start, sizeof start, "%" PRIu64, p->start_lba);
	snprintf(end, sizeof end, "%" PRIu64, p->start_lba + p->size_lba - 1);
	snprintf(sectors, sizeof sectors, "%" PRIu64, p->size_lba);
	human_size(p->size_bytes, size, sizeof size);
	const char *type_name = lb_partition_type_name(disk, p);
	if (!type_name) {
		disks_type_code(disk, p, type, sizeof type);
		type_name = type;
	}
	disks_flags(disk, p, flags, sizeof flags);
	if (p->fs.windows_present)
		snprintf(flags + strlen(flags), sizeof flags - strlen(flags), "%sWindows", flags[0] ? " " : "");
	const char *cells[] = {
		device, start, end, sectors, size, type_name, lb_fs_type_name(p->fs.type),
		p->fs.label, p->fs.uuid, p->name, flags,
	};
	text_table_add(t, cells);
}

void disks_print_text(const struct disk_report *r)
{
	static const char *const headers[] = {
		"Device", ">Start", ">End", ">Sectors", ">Size", "Type", "FS", "Label", "UUID", "Name", "Flags",
	};
	print_header(r);
	if (r->disk->partition_count == 0)
		return;
	struct text_table t;
	text_table_init(&t, sizeof headers / sizeof headers[0], headers);
	for (unsigned i = 0; i < r->disk->partition_count; i++)
		add_partition_row(&t, r, &r->disk->partitions[i]);
	putchar('\n');
	text_table_print(&t, stdout);
	text_table_free(&t);
}
