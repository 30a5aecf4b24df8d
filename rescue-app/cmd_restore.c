/* lifeboat restore: write an .lbi image (file, split volumes or a pipe)
 * onto a disk, partition or image file, or one partition into free space
 * of a disk, after the safety checks: not the disk holding the image, not
 * mounted, big enough, and confirmed. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "commands.h"
#include "image_cli.h"
#include "image_open.h"
#include "restore_free_cli.h"
#include "lifeboat/disk.h"
#include "lifeboat/error.h"

struct restore_args {
	struct lb_restore_opts o;
	bool yes, dry_run;
	int progress_mode;
	const char *image, *target;
	struct cli_image_source src;
};

static int parse_args(int argc, char **argv, struct restore_args *a)
{
	static const struct option opts[] = {
		{ "partition", required_argument, NULL, 'P' }, { "yes", no_argument, NULL, 'y' },
		{ "dry-run", no_argument, NULL, 'n' },         { "verify-first", no_argument, NULL, 'V' },
		{ "resume", no_argument, NULL, 'r' },          { "fill-free", no_argument, NULL, 'z' },
		{ "discard", no_argument, NULL, 'd' },         { "new-identity", no_argument, NULL, 'i' },
		{ "grow-last", no_argument, NULL, 'g' },       { "threads", required_argument, NULL, 't' },
		{ "progress", required_argument, NULL, 'p' },  { "password-file", required_argument, NULL, 'f' },
		{ "volumes", required_argument, NULL, 'v' },   { "into-free-space", no_argument, NULL, 'F' },
		{ "table-backup", required_argument, NULL, 'B' }, { 0 },
	};
	int c;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'P':
			if ((a->o.partition = (unsigned)atoi(optarg)) < 1)
				return cli_usage_error("restore", "--partition needs a partition number");
			break;
		case 'y': a->yes = true; break;
		case 'n': a->dry_run = true; break;
		case 'V': a->o.verify_first = true; break;
		case 'r': a->o.resume = true; break;
		case 'z': a->o.fill_free = true; break;
		case 'd': a->o.discard = true; break;
		case 'i': a->o.new_identity = true; break;
		case 'g': a->o.grow_last = true; break;
		case 't':
			if ((a->o.threads = (unsigned)atoi(optarg)) < 1 || a->o.threads > 64)
				return cli_usage_error("restore", "--threads must be 1 to 64");
			break;
		case 'p':
			if ((a->progress_mode = cli_parse_progress(optarg)) < 0)
				return cli_usage_error("restore", "--progress must be auto, json or none");
			break;
		case 'f': a->src.password_file = optarg; break;
		case 'F': a->o.into_free_space = true; break;
		case 'B': a->o.table_backup = optarg; break;
		case 'v':
			if (cli_image_add_volume_dir(&a->src, "restore", optarg) != CLI_OK)
				return CLI_USAGE;
			break;
		default:
			return cli_usage_error("restore", "unknown option");
		}
	}
	if (argc - optind != 2)
		return cli_usage_error("restore", "expected IMAGE (or -) and TARGET");
	if (a->o.fill_free && a->o.discard)
		return cli_usage_error("restore", "--fill-free and --discard exclude each other");
	if (a->o.into_free_space && !a->o.partition)
		return cli_usage_error("restore", "--into-free-space restores one partition: give --partition N");
	if (a->o.table_backup && !a->o.into_free_space)
		return cli_usage_error("restore", "--table-backup goes with --into-free-space");
	a->image = argv[optind];
	a->target = argv[optind + 1];
	return CLI_OK;
}

/* Creates a missing target image file of the size the image needs. */
static int create_target_file(const char *path, const struct lb_image_info *info, unsigned partition)
{
	uint64_t size = info->source_size;
	for (unsigned i = 0; partition && i < info->part_count; i++)
		if (info->parts[i].number == partition)
			size = info->parts[i].size;
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (fd < 0 || ftruncate(fd, (off_t)size) < 0) {
		int rc = cli_fail("%s: cannot create: %s", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return rc;
	}
	close(fd);
	return CLI_OK;
}

/* Removes the file this restore created when it was never written to. */
static void remove_if_unwritten(bool created, const char *path)
{
	if (created)
		unlink(path);
}

static void print_plan(const struct restore_args *a, const struct lb_dev *t, const struct lb_restore_plan *p)
{
	char need[32], have[32], data[32];
	cli_format_bytes(p->needed_bytes, need, sizeof need);
	cli_format_bytes(t->size, have, sizeof have);
	cli_format_bytes(p->write_bytes, data, sizeof data);
	printf("Would restore %s onto %s (%s, needs %s)\n", a->image, t->path, have, need);
	if (a->o.partition)
		printf("  partition %u of the image: bytes %llu-%llu of its disk\n", a->o.partition,
		       (unsigned long long)p->source_offset, (unsigned long long)(p->source_offset + p->source_size - 1));
	printf("  %s of data would be written%s\n", data, a->o.resume ? " (less where the target already matches)" : "");
	if (p->new_partition)
		cli_print_new_partition_plan(p, a->o.table_backup);
	if (p->move_gpt_backup)
		printf("  the backup GPT would move to the end of the target\n");
	if (a->o.grow_last)
		printf("  the last partition would grow to the end of the target\n");
	printf("  identities (disk and partition GUIDs, MBR signature): %s\n", a->o.new_identity ? "new" : "kept");
	printf("Nothing was written (--dry-run).\n");
}

/* Asks on the terminal; refuses when there is none. */
static int confirm(const struct restore_args *a, const struct lb_dev *t)
{
	char size[32];
	cli_format_bytes(t->size, size, sizeof size);
	FILE *tty = fopen("/dev/tty", "r+e");
	if (!tty || !isatty(fileno(tty))) {
		if (tty)
			fclose(tty);
		return cli_fail("refusing to %s %s (%s%s%s) without --yes",
				a->o.into_free_space ? "add a partition to" : "overwrite", t->path,
				t->model[0] ? t->model : "", t->model[0] ? ", " : "", size);
	}
	if (a->o.into_free_space)
		fprintf(tty, "Partition %u of %s will be written into free space of %s (%s%s%s) as a new partition.\n",
			a->o.partition, a->image, t->path, t->model[0] ? t->model : "", t->model[0] ? ", " : "", size);
	else
		fprintf(tty, "Everything on %s (%s%s%s) will be overwritten by %s.\n", t->path,
			t->model[0] ? t->model : "", t->model[0] ? ", " : "", size, a->image);
	fputs("Type 'yes' to continue: ", tty);
	fflush(tty);
	char answer[16] = "";
	bool ok = fgets(answer, sizeof answer, tty) && strcmp(answer, "yes\n") == 0;
	fclose(tty);
	return ok ? CLI_OK : cli_fail("restore cancelled; nothing was written");
}

/* The device or file a target names: "disk.img:3" lives on "disk.img". */
static void target_base(const char *target, char *out, size_t len)
{
	struct stat st;
	snprintf(out, len, "%s", target);
	char *colon = strrchr(out, ':');
	if (stat(target, &st) < 0 && colon && colon[1] && strspn(colon + 1, "0123456789") == strlen(colon + 1))
		*colon = '\0';
}

static int run_restore(struct restore_args *a, struct lb_image *img)
{
	char base[4096];
	target_base(a->target, base, sizeof base);
	if (lb_target_check_not_image_disk(base, a->image) < 0 || lb_target_check_not_mounted(base) < 0)
		return cli_fail_core();
	struct stat st;
	char backup[4096];
	if (a->o.into_free_space && !a->o.table_backup) {
		cli_default_table_backup(base, backup, sizeof backup);
		a->o.table_backup = backup;
	}
	bool created = false;
	if (stat(base, &st) < 0 && errno == ENOENT) {
		/* only a new image file is made: a missing device or DISK:N is a typo */
		if (strcmp(base, a->target) != 0 || strncmp(a->target, "/dev/", 5) == 0 || a->o.into_free_space)
			return cli_fail("%s: no such disk, partition or file", base);
		if (!a->dry_run && create_target_file(a->target, lb_image_get_info(img), a->o.partition) != CLI_OK)
			return CLI_FAILED;
		created = !a->dry_run;
	}
	struct lb_dev *t;
	if (lb_dev_open_spec(a->target, a->dry_run ? LB_DEV_READ : LB_DEV_WRITE | LB_DEV_EXCLUSIVE, &t) < 0) {
		remove_if_unwritten(created, a->target);
		return cli_fail_core();
	}
	struct lb_restore_plan plan;
	int rc = CLI_OK;
	if (lb_restore_check(img, t, &a->o, &plan) < 0)
		rc = cli_fail_core();
	else if (a->dry_run)
		print_plan(a, t, &plan);
	else if (a->yes || (rc = confirm(a, t)) == CLI_OK) {
		created = false;
		struct progress_state ps;
		cli_progress_init(&ps, (enum progress_mode)a->progress_mode);
		a->o.progress = cli_progress;
		a->o.progress_ctx = &ps;
		a->o.cancel = &cli_interrupted;
		cli_catch_interrupt();
		int r = lb_image_restore(img, t, &a->o, &plan);
		cli_progress_done(&ps);
		if (r == LB_E_CANCELLED)
			rc = cli_fail("%s; run the same command with --resume to continue", lb_error_message());
		else if (r < 0)
			rc = cli_fail_core();
		else
			cli_print_warnings();
		if (r == 0 && plan.new_partition)
			cli_print_new_partition_done(t->path, &plan, a->o.table_backup);
	}
	lb_dev_close(t);
	remove_if_unwritten(created, a->target);
	return rc;
}

int cmd_restore(int argc, char **argv)
{
	struct restore_args a = { .progress_mode = PROGRESS_AUTO };
	int rc = parse_args(argc, argv, &a);
	if (rc != CLI_OK)
		return rc;
	struct lb_image *img;
	if (cli_image_open(a.image, &a.src, &img) != CLI_OK)
		return CLI_FAILED;
	rc = run_restore(&a, img);
	lb_image_close(img);
	return rc;
}
