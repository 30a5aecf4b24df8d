/* `lifeboat-build recovery`: a Lifeboat partition added to a disk that
 * holds an installed system (boot-media study §7). Append-only: a FAT32
 * partition (GPT type Windows RE with RequiredPartition + no drive letter,
 * MBR type 0x27) in unallocated space, holding shim -> signed GRUB ->
 * signed kernel + initramfs, lifeboat.cfg, logs/, images/ and a backup of
 * the partition table as it was. No existing byte of any partition is
 * written. --update refreshes the files, --remove gives the original table
 * back, --reboot-into sets BootNext; on a UEFI machine's own disk the
 * partition gets a boot entry outside BootOrder. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/fs.h>
#include <sys/ioctl.h>
#include <sys/random.h>
#include <unistd.h>

#include "device.h"
#include "efiboot.h"
#include "lifeboat/error.h"
#include "media.h"
#include "parttable.h"
#include "run.h"
#include "stage.h"

#define WINRE_TYPE "DE94BBA4-06D1-4D40-A16A-BFD50179D6AC"
#define MBR_TYPE_WINRE 0x27
#define GPT_ATTR_REQUIRED (1ull << 0)
#define GPT_ATTR_NO_DRIVE_LETTER (1ull << 63)
#define RECOVERY_LABEL "LIFEBOAT"
#define RECOVERY_NAME "Lifeboat"
#define DEFAULT_SIZE (1024ull << 20)
#define MIN_SIZE (64ull << 20)
#define SLACK (32ull << 20)
#define TABLE_BACKUP "lifeboat/table.bak"

struct rec_job {
	struct build_config *cfg;
	const char *path;
	struct lb_dev *dev;
	struct lb_disk *disk;
	const struct lb_partition *ours;
	struct efi_chain chain;
	char *work, *tree;
	char uuid[37];
};

static bool is_ours(const struct lb_disk *disk, const struct lb_partition *p)
{
	char type[37];
	lb_guid_to_string(p->type_guid, type);
	bool type_ok = disk->table == LB_TABLE_GPT ? strcmp(type, WINRE_TYPE) == 0 : p->mbr_type == MBR_TYPE_WINRE;
	return type_ok && p->fs.type == LB_FS_FAT32 && strcmp(p->fs.label, RECOVERY_LABEL) == 0;
}

/* Opens the disk (for writing unless read_only) and reads its layout. */
static int open_disk(struct rec_job *job, bool read_only)
{
	int rc = lb_dev_open(job->path, read_only ? LB_DEV_READ : LB_DEV_WRITE, &job->dev);
	if (rc && !read_only) {
		char *why = strdup(lb_error_message());
		struct lb_dev *probe;
		if (lb_dev_open(job->path, LB_DEV_READ, &probe) == 0) {
			lb_dev_close(probe);
			rc = lb_fail(LB_E_REFUSED, "%s is read-only (%s): nothing written", job->path,
				     why && strrchr(why, ':') ? strrchr(why, ':') + 2 : "not writable");
		}
		free(why);
	}
	int ro = 0;
	if (!rc && !read_only && job->dev->is_block_device && ioctl(job->dev->fd, BLKROGET, &ro) == 0 && ro)
		rc = lb_fail(LB_E_REFUSED, "%s is a read-only device: nothing written", job->path);
	if (!rc)
		rc = lb_disk_read(job->dev, &job->disk);
	if (!rc && job->disk->sector_size != 512)
		rc = lb_fail(LB_E_UNSUPPORTED, "%s has %u-byte sectors; only 512-byte-sector disks are supported",
			     job->path, job->disk->sector_size);
	for (unsigned i = 0; !rc && i < job->disk->partition_count; i++) {
		const struct lb_partition *p = &job->disk->partitions[i];
		if (!is_ours(job->disk, p))
			continue;
		if (job->ours)
			rc = lb_fail(LB_E_REFUSED, "%s holds two Lifeboat partitions (%u and %u)", job->path,
				     job->ours->number, p->number);
		job->ours = p;
	}
	return rc;
}

static int need_ours(const struct rec_job *job)
{
	if (job->ours)
		return 0;
	return lb_fail(LB_E_NOTFOUND, "%s has no Lifeboat recovery partition (add one with "
		       "lifeboat-build recovery --disk %s)", job->path, job->path);
}

/* The firmware's name for our partition in efibootmgr -v output. */
static void boot_target(const struct rec_job *job, struct efiboot_target *t)
{
	t->disk = job->path;
	t->partition = job->ours->number;
	if (job->disk->table == LB_TABLE_GPT) {
		char guid[37];
		lb_guid_to_string(job->ours->part_guid, guid);
		snprintf(t->match, sizeof t->match, "hd(%u,gpt,%s", t->partition, guid);
	} else {
		snprintf(t->match, sizeof t->match, "hd(%u,mbr,0x%x", t->partition, job->disk->mbr_signature);
	}
	for (char *c = t->match; *c; c++)
		*c = (char)(*c >= 'A' && *c <= 'Z' ? *c + 32 : *c);
}

static bool live_machine(const struct rec_job *job)
{
	return job->dev->is_block_device && efiboot_available();
}

/* A boot entry on a UEFI machine's own disk; a note otherwise. */
static int ensure_boot_entry(const struct rec_job *job)
{
	if (!live_machine(job)) {
		printf("boot entry: none (%s is %s); run lifeboat-build recovery --update --disk DISK on the "
		       "machine itself to add one\n", job->path,
		       job->dev->is_block_device ? "a disk of a machine not booted through UEFI" : "an image file");
		return 0;
	}
	struct efiboot_target t;
	boot_target(job, &t);
	int bootnum;
	int rc = efiboot_ensure(&t, &bootnum);
	if (!rc)
		printf("boot entry: Boot%04X \"%s\" -> %s (BootOrder unchanged; lifeboat-build recovery "
		       "--reboot-into starts it once)\n", (unsigned)bootnum, RECOVERY_ENTRY_LABEL, RECOVERY_LOADER);
	return rc;
}

/* The partition's files: the signed chain in \EFI\lifeboat, GRUB's
 * config where the disk GRUB looks first (/EFI/debian on its own
 * partition), the menu, kernel, initramfs and the stick-like folders. */
static int stage_files(struct rec_job *job)
{
	struct build_config *cfg = job->cfg;
	int rc = chain_prepare(cfg, &job->chain);
	if (!rc)
		rc = stage_create("recovery", &job->work);
	if (rc)
		return rc;
	job->tree = path_join(job->work, "tree");
	char *kernel = path_join(job->tree, "live/vmlinuz");
	char *initrd = path_join(job->tree, "live/initrd");
	char *search_cfg = path_join(job->tree, "EFI/debian/grub.cfg");
	char *grub_cfg = path_join(job->tree, "boot/grub/grub.cfg");
	char *settings = path_join(job->tree, "lifeboat.cfg");
	char *logs = path_join(job->tree, "logs");
	char *images = path_join(job->tree, "images");
	rc = payload_install(cfg, job->tree, "live/vmlinuz", "live/initrd");
	if (!rc)
		rc = medium_id(cfg, kernel, initrd, job->uuid);
	char *tag = xasprintf("/.disk/id/%s", job->uuid);
	char *tag_file = path_join(job->tree, tag);
	const struct template_var vars[] = { { "TAG", tag }, { NULL, NULL } };
	if (!rc)
		rc = stage_write_file(tag_file, "", 0644);
	if (!rc)
		rc = chain_install(&job->chain, job->chain.grub_disk, job->tree, "EFI/lifeboat", 0);
	if (!rc)
		rc = template_write(cfg, "grub-search.cfg", vars, search_cfg, 0644);
	if (!rc)
		rc = menus_write(cfg, grub_cfg, NULL, "/live/vmlinuz", "/live/initrd");
	if (!rc && !job->ours) {
		rc = template_write(cfg, "lifeboat.cfg", NULL, settings, 0644);
		if (!rc)
			rc = stage_mkdir_p(logs);
		if (!rc)
			rc = stage_mkdir_p(images);
	}
	if (!rc)
		rc = stage_set_times(job->tree, cfg->epoch);
	free(kernel);
	free(initrd);
	free(search_cfg);
	free(grub_cfg);
	free(settings);
	free(logs);
	free(images);
	free(tag);
	free(tag_file);
	return rc;
}

static int confirm_device(const struct rec_job *job, const char *what)
{
	if (!job->dev->is_block_device || job->cfg->assume_yes)
		return 0;
	char desc[256];
	device_describe(job->dev, desc, sizeof desc);
	char *q = xasprintf("%s\n%s", desc, what);
	int rc = device_confirm(q);
	free(q);
	return rc;
}

static void new_partition_guid(uint8_t guid[16])
{
	if (getrandom(guid, 16, 0) != 16)
		abort();
	guid[7] = (guid[7] & 0x0f) | 0x40;  /* version 4; byte 7 is the high byte of field 3 on disk */
	guid[8] = (guid[8] & 0x3f) | 0x80;
}

/* Where the partition goes: the free extent nearest the end of the disk. */
static int place(struct rec_job *job, struct part_entry *e)
{
	uint64_t files = stage_size(job->tree);
	uint64_t size = job->cfg->size_bytes ? job->cfg->size_bytes : DEFAULT_SIZE;
	size = (size + (1u << 20) - 1) & ~(uint64_t)((1u << 20) - 1);
	uint64_t least = files + SLACK > MIN_SIZE ? files + SLACK : MIN_SIZE;
	least = (least + (1u << 20) - 1) & ~(uint64_t)((1u << 20) - 1);
	if (size < least)
		return lb_fail(LB_E_INVALID, "--size %" PRIu64 "M is too small: Lifeboat needs at least %" PRIu64 " MiB",
			       size >> 20, least >> 20);
	uint64_t largest;
	if (part_table_find_space(job->disk, size, &e->start_lba, &largest) != 0)
		return lb_fail(LB_E_REFUSED, "%s has no unallocated space of %" PRIu64 " MiB (largest free area: %"
			       PRIu64 " MiB); nothing written. Make room in Windows: Disk Management, right-click "
			       "C:, Shrink Volume by %" PRIu64 " MB (or diskpart: select volume C, shrink desired=%"
			       PRIu64 "), then run this again; or give a smaller --size (at least %" PRIu64 "M)",
			       job->path, size >> 20, largest >> 20, (size >> 20) + 1, (size >> 20) + 1, least >> 20);
	e->size_lba = size / job->disk->sector_size;
	e->mbr_type = MBR_TYPE_WINRE;
	lb_guid_from_string(WINRE_TYPE, e->type_guid);
	new_partition_guid(e->part_guid);
	e->attributes = GPT_ATTR_REQUIRED | GPT_ATTR_NO_DRIVE_LETTER;
	e->name = RECOVERY_NAME;
	return 0;
}

/* Copies the file system built in file into the device at offset. */
static int copy_into(struct rec_job *job, const char *file, uint64_t offset, uint64_t size)
{
	FILE *f = fopen(file, "rb");
	if (!f)
		return lb_fail_errno(LB_E_IO, "cannot read %s", file);
	static char buf[1u << 20];
	int rc = 0;
	for (uint64_t done = 0; !rc && done < size; done += sizeof buf) {
		size_t want = size - done < sizeof buf ? (size_t)(size - done) : sizeof buf;
		if (fread(buf, 1, want, f) != want)
			rc = lb_fail_errno(LB_E_IO, "cannot read %s", file);
		if (!rc)
			rc = lb_dev_write(job->dev, buf, want, offset + done);
	}
	fclose(f);
	return rc ? rc : lb_dev_flush(job->dev);
}

/* FAT32 in the new partition's place. An image file is formatted in place
 * (mkfs.vfat --offset); a device is formatted in a sparse file that is
 * then copied in, because mkfs.vfat opens it exclusively, which fails
 * while any of its partitions is mounted (the running system). */
static int format_and_fill(struct rec_job *job, const struct part_entry *e)
{
	unsigned volume_id = 0;
	sscanf(job->uuid, "%8x", &volume_id);
	uint64_t offset = e->start_lba * job->disk->sector_size, size = e->size_lba * job->disk->sector_size;
	char *staged = job->dev->is_block_device ? path_join(job->work, "partition.img") : NULL;
	struct fat_spec fat = {
		.image = staged ? staged : job->path, .offset = staged ? 0 : offset, .size = size,
		.fat_bits = 32, .label = RECOVERY_LABEL, .volume_id = volume_id, .create = staged != NULL,
	};
	int rc = fat_format(&fat);
	if (!rc)
		rc = fat_copy_tree(&fat, job->tree);
	if (!rc && staged)
		rc = copy_into(job, staged, offset, size);
	free(staged);
	return rc;
}

/* Tells the kernel about a partition added or removed (a disk whose other
 * partitions are mounted cannot be re-read as a whole). */
static void kernel_update(const struct rec_job *job, const char *action, unsigned number)
{
	if (!job->dev->is_block_device)
		return;
	char nr[16];
	snprintf(nr, sizeof nr, "%u", number);
	if (run_toolv(NULL, "partx", action, "--nr", nr, job->path, NULL) != 0)
		lb_warn("the kernel still has the old partition list of %s (%s); it sees the change after a reboot",
			job->path, lb_error_message());
	lb_error_clear();
}

/* The table as it was, on the new partition (lifeboat/table.bak). */
static int write_backup(struct rec_job *job, const struct part_table *original, unsigned number)
{
	struct lb_strbuf backup;
	lb_strbuf_init(&backup);
	part_table_serialize(original, number, &backup);
	char *dir = path_join(job->tree, "lifeboat");
	char *file = path_join(job->tree, TABLE_BACKUP);
	int rc = stage_mkdir_p(dir);
	FILE *f = rc ? NULL : fopen(file, "wb");
	if (!rc) {
		bool ok = f && fwrite(backup.data, 1, backup.len, f) == backup.len;
		if ((f && fclose(f) != 0) || !ok)
			rc = lb_fail_errno(LB_E_IO, "cannot write %s", file);
	}
	if (!rc)
		rc = stage_set_times(dir, job->cfg->epoch);
	free(dir);
	free(file);
	lb_strbuf_free(&backup);
	return rc;
}

static int recovery_add(struct rec_job *job)
{
	if (job->ours)
		return lb_fail(LB_E_REFUSED, "%s already has a Lifeboat partition (%u); use --update or --remove",
			       job->path, job->ours->number);
	struct part_table table, original;
	int rc = part_table_read(job->dev, job->disk, &original);
	if (rc)
		return rc;
	rc = part_table_copy(&original, &table);
	if (rc) {
		part_table_free(&original);
		return rc;
	}
	struct part_entry e;
	unsigned number = 0;
	rc = stage_files(job);
	if (!rc)
		rc = place(job, &e);
	if (!rc)
		rc = part_table_add(&table, &e, &number);
	if (!rc)
		rc = write_backup(job, &original, number);
	char *question = rc ? NULL : xasprintf("Add a %" PRIu64 " MiB Lifeboat partition in its free space "
					   "(no existing partition is changed)?", e.size_lba * 512 >> 20);
	if (!rc)
		rc = confirm_device(job, question);
	free(question);
	if (!rc)
		rc = format_and_fill(job, &e);
	if (!rc)
		rc = part_table_write(job->dev, &table, &original);
	if (!rc) {
		kernel_update(job, "--add", number);
		printf("%s: added partition %u \"%s\", %" PRIu64 " MiB at sector %" PRIu64 " (%s, hidden, no drive "
		       "letter), FAT32 label %s: shim -> GRUB -> kernel %s\n", job->path, number, RECOVERY_NAME,
		       e.size_lba * 512 >> 20, e.start_lba,
		       job->disk->table == LB_TABLE_GPT ? "type Windows RE" : "type 0x27", RECOVERY_LABEL,
		       job->cfg->kernel_version);
		printf("partition table backup: %s on the new partition (lifeboat-build recovery --remove uses it)\n",
		       TABLE_BACKUP);
		lb_disk_free(job->disk);
		job->disk = NULL;
		job->ours = NULL;
		rc = lb_disk_read(job->dev, &job->disk);
		for (unsigned i = 0; !rc && i < job->disk->partition_count; i++)
			if (job->disk->partitions[i].number == number)
				job->ours = &job->disk->partitions[i];
		if (!rc)
			rc = need_ours(job);
		if (!rc)
			rc = ensure_boot_entry(job);
	}
	part_table_free(&table);
	part_table_free(&original);
	return rc;
}

static int check_unused(const struct rec_job *job)
{
	if (!job->dev->is_block_device)
		return 0;
	return device_partition_unused(job->path, job->dev->devno, job->ours->number);
}

static int recovery_update(struct rec_job *job)
{
	int rc = need_ours(job);
	if (!rc)
		rc = check_unused(job);
	if (!rc)
		rc = stage_files(job);
	struct fat_spec fat = { .image = job->path, .offset = job->ours ? job->ours->start_bytes : 0 };
	if (!rc)
		rc = fat_copy_tree(&fat, job->tree);
	if (!rc) {
		printf("%s: partition %u updated: shim -> GRUB -> kernel %s (images/ and logs/ kept)\n", job->path,
		       job->ours->number, job->cfg->kernel_version);
		rc = ensure_boot_entry(job);
	}
	return rc;
}

/* The backup kept on the partition, or rc > 0 when it cannot be read. */
static int read_backup(struct rec_job *job, struct part_table *backup, unsigned *added)
{
	int rc = stage_create("recovery", &job->work);
	if (rc)
		return rc;
	char *file = path_join(job->work, "table.bak");
	char *src = xasprintf("%s@@%" PRIu64, job->path, job->ours->start_bytes);
	char *name = xasprintf("::/%s", TABLE_BACKUP);
	struct lb_strbuf data;
	lb_strbuf_init(&data);
	rc = run_toolv(NULL, "mcopy", "-n", "-i", src, name, file, NULL);
	if (!rc)
		rc = lb_strbuf_read_file(&data, file, 16u << 20);
	if (!rc)
		rc = part_table_parse(data.data, data.len, backup, added);
	if (rc) {
		lb_warn("%s: no usable partition table backup on partition %u (%s); removing its entry only",
			job->path, job->ours->number, lb_error_message());
		lb_error_clear();
		rc = 1;
	}
	lb_strbuf_free(&data);
	free(file);
	free(src);
	free(name);
	return rc;
}

/* Zeroes the start of the old partition (its FAT boot sectors) and gives
 * the rest back (punched hole in an image file, discard on a device). */
static int wipe(struct rec_job *job, uint64_t start, uint64_t size)
{
	static const uint8_t zeros[1u << 16];
	int rc = 0;
	for (uint64_t off = 0; !rc && off < (1u << 20) && off < size; off += sizeof zeros)
		rc = lb_dev_write(job->dev, zeros, sizeof zeros, start + off);
	if (!rc && size > (1u << 20) && lb_dev_discard(job->dev, start + (1u << 20), size - (1u << 20)) != 0) {
		lb_error_clear();
		if (!job->dev->is_block_device)
			lb_warn("%s: the old partition's bytes were left in place", job->path);
	}
	if (!rc)
		rc = lb_dev_flush(job->dev);
	return rc;
}

static int recovery_remove(struct rec_job *job)
{
	int rc = need_ours(job);
	if (!rc)
		rc = check_unused(job);
	if (rc)
		return rc;
	unsigned number = job->ours->number, added = 0;
	uint64_t start = job->ours->start_bytes, size = job->ours->size_bytes;
	struct part_table current, table, backup = { 0 };
	rc = part_table_read(job->dev, job->disk, &current);
	if (rc)
		return rc;
	rc = part_table_copy(&current, &table);
	if (!rc)
		rc = part_table_remove(&table, number);
	int have_backup = rc ? -1 : read_backup(job, &backup, &added);
	if (have_backup < 0)
		rc = have_backup;
	const char *outcome = "the table is as it was before the partition was added";
	if (!rc && have_backup == 0 && (added != number || !part_table_equal(&table, &backup))) {
		lb_warn("%s: the partition table changed since the Lifeboat partition was added; only its entry "
			"is removed", job->path);
		outcome = "only the Lifeboat entry was removed";
	}
	if (!rc)
		rc = confirm_device(job, "Remove the Lifeboat partition and everything on it?");
	if (!rc && live_machine(job)) {
		struct efiboot_target t;
		boot_target(job, &t);
		rc = efiboot_remove(&t);
	}
	if (!rc)
		rc = part_table_write(job->dev, &table, &current);
	if (!rc)
		rc = wipe(job, start, size);
	if (!rc) {
		kernel_update(job, "--delete", number);
		printf("%s: Lifeboat partition %u removed; %s\n", job->path, number, outcome);
	}
	part_table_free(&current);
	part_table_free(&table);
	part_table_free(&backup);
	return rc;
}

static int recovery_reboot_into(struct rec_job *job)
{
	if (!live_machine(job))
		return lb_fail(LB_E_REFUSED, "--reboot-into works on the disk of the running machine booted through "
			       "UEFI; %s is %s", job->path, job->dev->is_block_device ? "on a machine without UEFI" : "an image file");
	int rc = need_ours(job);
	struct efiboot_target t;
	int bootnum = -1;
	if (!rc) {
		boot_target(job, &t);
		rc = efiboot_ensure(&t, &bootnum);
	}
	if (!rc)
		rc = efiboot_set_next(bootnum);
	if (!rc)
		printf("BootNext = Boot%04X \"%s\": the next boot (only) starts Lifeboat; reboot now\n",
		       (unsigned)bootnum, RECOVERY_ENTRY_LABEL);
	return rc;
}

int build_recovery(struct build_config *cfg)
{
	if (!cfg->disk)
		return lb_fail(LB_E_USAGE, "recovery needs --disk DISK (a disk device or disk image file)");
	struct rec_job job = { .cfg = cfg, .path = cfg->disk };
	bool read_only = strcmp(cfg->action, "reboot-into") == 0;
	int rc = open_disk(&job, read_only);
	if (!rc) {
		if (strcmp(cfg->action, "add") == 0)
			rc = recovery_add(&job);
		else if (strcmp(cfg->action, "update") == 0)
			rc = recovery_update(&job);
		else if (strcmp(cfg->action, "remove") == 0)
			rc = recovery_remove(&job);
		else
			rc = recovery_reboot_into(&job);
	}
	if (job.dev)
		lb_dev_close(job.dev);
	lb_disk_free(job.disk);
	stage_remove(job.work);
	efi_chain_free(&job.chain);
	free(job.work);
	free(job.tree);
	return rc;
}
