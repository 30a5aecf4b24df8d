/* `lifeboat disks`: the partition tables and file systems of the machine's
 * disks (from /sys/block) or of the devices and image files named. */
#include "cli.h"
#include "commands.h"
#include "disks_report.h"

#include <dirent.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lifeboat/error.h"

struct disks_options {
	bool json;
	unsigned sector_size;   /* 0: the device's own, or guessed for images */
	bool listing;           /* no paths given: the machine's disks */
};

/* Reads a one-line sysfs attribute of /sys/block/NAME; "" when absent. */
static void sysfs_read(const char *name, const char *attr, char *out, size_t outlen)
{
	char path[512];
	snprintf(path, sizeof path, "/sys/block/%s/%s", name, attr);
	out[0] = '\0';
	FILE *f = fopen(path, "re");
	if (!f)
		return;
	if (!fgets(out, (int)outlen, f))
		out[0] = '\0';
	out[strcspn(out, "\n")] = '\0';
	fclose(f);
}

/* Devices that hold nothing to rescue: RAM disks, zram, unused loop
 * devices, and anything of size 0 (an empty card reader or CD drive). */
static bool worth_listing(const char *name)
{
	char value[4096];
	if (name[0] == '.' || strncmp(name, "ram", 3) == 0 || strncmp(name, "zram", 4) == 0)
		return false;
	sysfs_read(name, "size", value, sizeof value);
	if (value[0] == '\0' || strtoull(value, NULL, 10) == 0)
		return false;
	if (strncmp(name, "loop", 4) == 0) {
		sysfs_read(name, "loop/backing_file", value, sizeof value);
		return value[0] != '\0';
	}
	return true;
}

static int by_name(const struct dirent **a, const struct dirent **b)
{
	return strverscmp((*a)->d_name, (*b)->d_name);
}

/* A disk of the machine that cannot be read (no permission, no medium, a
 * dying drive) is named in a warning and the listing goes on. */
static int skip_unreadable(void)
{
	cli_print_warnings();
	fprintf(stderr, "lifeboat: warning: %s; skipped\n", lb_error_message());
	return CLI_FAILED;
}

static int report_one(const char *path, const struct disks_options *opt, struct lb_json *j, bool *first)
{
	struct lb_dev *dev;
	int rc = lb_dev_open_spec(path, LB_DEV_READ, &dev);
	if (rc < 0)
		return opt->listing ? skip_unreadable() : cli_fail_core();
	if (opt->sector_size)
		lb_dev_set_sector_size(dev, opt->sector_size);
	struct lb_disk *disk;
	rc = lb_disk_read(dev, &disk);
	if (rc < 0) {
		lb_dev_close(dev);
		return opt->listing ? skip_unreadable() : cli_fail_core();
	}
	struct disk_report r = { .dev = dev, .disk = disk };
	r.warning_count = lb_warnings_take(&r.warnings);
	for (int i = 0; i < r.warning_count; i++)
		fprintf(stderr, "lifeboat: warning: %s\n", r.warnings[i]);
	if (opt->json) {
		disks_write_json(j, &r);
	} else {
		if (!*first)
			putchar('\n');
		disks_print_text(&r);
	}
	*first = false;
	if (r.warning_count > 0)
		lb_warnings_free(r.warnings, r.warning_count);
	lb_disk_free(disk);
	lb_dev_close(dev);
	return CLI_OK;
}

/* Runs report_one for the named paths, or for /sys/block when none; the
 * machine's listing fails only when no disk there could be read. */
static int report_all(char **paths, int count, struct disks_options *opt, struct lb_json *j)
{
	int status = CLI_OK;
	bool first = true;
	if (count > 0) {
		for (int i = 0; i < count; i++)
			if (report_one(paths[i], opt, j, &first) != CLI_OK)
				status = CLI_FAILED;
		return status;
	}
	struct dirent **names;
	int n = scandir("/sys/block", &names, NULL, by_name);
	if (n < 0)
		return cli_fail("/sys/block: cannot list the block devices");
	opt->listing = true;
	int readable = 0, unreadable = 0;
	for (int i = 0; i < n; i++) {
		char path[300];
		snprintf(path, sizeof path, "/dev/%s", names[i]->d_name);
		if (worth_listing(names[i]->d_name)) {
			if (report_one(path, opt, j, &first) == CLI_OK)
				readable++;
			else
				unreadable++;
		}
		free(names[i]);
	}
	free(names);
	if (readable == 0 && unreadable > 0)
		return cli_fail("none of the machine's %d disk(s) could be read", unreadable);
	return status;
}

int cmd_disks(int argc, char **argv)
{
	struct disks_options opt = { 0 };
	int i = 1;
	for (; i < argc && argv[i][0] == '-'; i++) {
		if (strcmp(argv[i], "--json") == 0) {
			opt.json = true;
		} else if (strcmp(argv[i], "--sector-size") == 0 && i + 1 < argc) {
			const char *v = argv[++i];
			if (strcmp(v, "512") != 0 && strcmp(v, "4096") != 0)
				return cli_usage_error("disks", "--sector-size must be 512 or 4096, not '%s'", v);
			opt.sector_size = (unsigned)atoi(v);
		} else if (strcmp(argv[i], "--") == 0) {
			i++;
			break;
		} else {
			return cli_usage_error("disks", "unknown option '%s'", argv[i]);
		}
	}
	struct lb_strbuf out;
	struct lb_json j;
	lb_strbuf_init(&out);
	lb_json_init(&j, &out);
	lb_json_begin_object(&j, NULL);
	lb_json_begin_array(&j, "disks");
	int status = report_all(argv + i, argc - i, &opt, &j);
	lb_json_end_array(&j);
	lb_json_end_object(&j);
	if (opt.json)
		printf("%s\n", lb_strbuf_str(&out));
	lb_strbuf_free(&out);
	return status;
}
