/* lifeboat info: what an .lbi image holds (header, encryption, source disk
 * or file system, partitions, sizes), as text or JSON. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "commands.h"
#include "image_cli.h"
#include "image_open.h"
#include "lifeboat/error.h"
#include "lifeboat/json.h"

static void hex_uuid(const uint8_t u[16], char out[37])
{
	snprintf(out, 37, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", u[0], u[1], u[2],
		 u[3], u[4], u[5], u[6], u[7], u[8], u[9], u[10], u[11], u[12], u[13], u[14], u[15]);
}

static const char *kind_name(const struct lb_image_info *info)
{
	return info->kind == LB_IMAGE_DISK ? "disk" : "filesystem";
}

static const char *table_name(uint32_t t)
{
	return t == 2 ? "gpt" : t == 1 ? "dos" : "none";
}

static void iso_time(uint64_t t, char out[32])
{
	time_t tt = (time_t)t;
	struct tm tm;
	gmtime_r(&tt, &tm);
	strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static const char *encryption_name(const struct lb_image_info *info)
{
	return info->encryption == LB_ENCRYPT_AES256GCM ? "aes-256-gcm" : "none";
}

static void print_json(const struct lb_image_info *info, bool unlocked)
{
	struct lb_strbuf sb;
	struct lb_json j;
	char uuid[37], when[32];
	lb_strbuf_init(&sb);
	lb_json_init(&j, &sb);
	hex_uuid(info->uuid, uuid);
	iso_time(info->created, when);
	lb_json_begin_object(&j, NULL);
	lb_json_string(&j, "uuid", uuid);
	lb_json_uint(&j, "format_version", info->version_major);
	lb_json_string(&j, "created", when);
	lb_json_string(&j, "tool", info->tool);
	lb_json_string(&j, "comment", info->comment);
	lb_json_string(&j, "codec", lb_codec_name(info->codec));
	lb_json_int(&j, "level", info->level);
	lb_json_uint(&j, "chunk_size", info->chunk_size);
	lb_json_uint(&j, "volume_size", info->volume_size);
	lb_json_string(&j, "encryption", encryption_name(info));
	if (info->encryption) {
		lb_json_begin_object(&j, "kdf");
		lb_json_string(&j, "method", "scrypt");
		lb_json_uint(&j, "log2_n", info->kdf.log2_n);
		lb_json_uint(&j, "r", info->kdf.r);
		lb_json_uint(&j, "p", info->kdf.p);
		lb_json_end_object(&j);
		lb_json_bool(&j, "password_checked", unlocked);
	}
	lb_json_string(&j, "kind", kind_name(info));
	lb_json_uint(&j, "source_size", info->source_size);
	lb_json_uint(&j, "sector_size", info->sector_size);
	lb_json_string(&j, "table", table_name(info->table_type));
	lb_json_string(&j, "model", info->model);
	lb_json_uint(&j, "used_bytes", info->used_bytes);
	if (info->has_trailer) {
		lb_json_uint(&j, "chunks", info->chunk_count);
		lb_json_uint(&j, "image_bytes", info->image_bytes);
	}
	lb_json_begin_array(&j, "partitions");
	for (unsigned i = 0; i < info->part_count; i++) {
		const struct lb_image_part *p = &info->parts[i];
		lb_json_begin_object(&j, NULL);
		lb_json_uint(&j, "number", p->number);
		lb_json_uint(&j, "offset", p->offset);
		lb_json_uint(&j, "size", p->size);
		lb_json_string(&j, "fs", p->fs);
		lb_json_string(&j, "label", p->label);
		lb_json_string(&j, "name", p->name);
		lb_json_uint(&j, "block_size", p->block_size);
		lb_json_uint(&j, "used_bytes", p->used_bytes);
		lb_json_bool(&j, "sector_by_sector", (p->flags & LB_IMAGE_PART_SECTOR_COPY) != 0);
		lb_json_bool(&j, "captured", (p->flags & LB_IMAGE_PART_NOT_CAPTURED) == 0);
		lb_json_end_object(&j);
	}
	lb_json_end_array(&j);
	lb_json_end_object(&j);
	printf("%s\n", lb_strbuf_str(&sb));
	lb_strbuf_free(&sb);
}

static void print_text(const char *path, const struct lb_image_info *info, bool unlocked)
{
	char uuid[37], when[32], size[32], used[32];
	hex_uuid(info->uuid, uuid);
	iso_time(info->created, when);
	cli_format_bytes(info->source_size, size, sizeof size);
	cli_format_bytes(info->used_bytes, used, sizeof used);
	printf("Image:        %s\nUUID:         %s\nCreated:      %s by %s\n", path, uuid, when, info->tool);
	if (info->comment[0])
		printf("Comment:      %s\n", info->comment);
	printf("Compression:  %s level %d, %u KiB chunks\n", lb_codec_name(info->codec), info->level,
	       info->chunk_size / 1024);
	if (info->volume_size) {
		char vol[32];
		cli_format_bytes(info->volume_size, vol, sizeof vol);
		printf("Volumes:      split, %s each\n", vol);
	}
	if (info->encryption)
		printf("Encryption:   AES-256-GCM, key from scrypt (N=2^%u, r=%u, p=%u); %s\n", info->kdf.log2_n,
		       info->kdf.r, info->kdf.p,
		       unlocked ? "password checked" : "no password given, what follows is not authenticated");
	printf("Source:       %s, %s (%llu bytes), %u-byte sectors, table %s%s%s\n", kind_name(info), size,
	       (unsigned long long)info->source_size, info->sector_size, table_name(info->table_type),
	       info->model[0] ? ", model " : "", info->model);
	printf("Data:         %s used", used);
	if (info->has_trailer) {
		char img[32];
		cli_format_bytes(info->image_bytes, img, sizeof img);
		printf(", %llu chunks, image %s (%.1f%% of the data)", (unsigned long long)info->chunk_count, img,
		       info->used_bytes ? 100.0 * (double)info->image_bytes / (double)info->used_bytes : 0.0);
	}
	printf("\n\n%-4s %14s %14s %-8s %-16s %12s\n", "Part", "Offset", "Size", "FS", "Label", "Used");
	for (unsigned i = 0; i < info->part_count; i++) {
		const struct lb_image_part *p = &info->parts[i];
		if (p->flags & LB_IMAGE_PART_NOT_CAPTURED)
			snprintf(used, sizeof used, "not captured");
		else
			cli_format_bytes(p->used_bytes, used, sizeof used);
		printf("%-4u %14llu %14llu %-8s %-16s %12s\n", p->number, (unsigned long long)p->offset,
		       (unsigned long long)p->size, p->fs[0] ? p->fs : "-", p->label[0] ? p->label : "-", used);
	}
}

int cmd_info(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "password-file", required_argument, NULL, 'f' },
		{ "volumes", required_argument, NULL, 'v' },
		{ 0 },
	};
	bool json = false;
	/* header and metadata are readable without the key: a password is
	 * checked (and then authenticates them) only when one is given */
	struct cli_image_source src = { .password_if_given = true };
	int c;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 'j')
			json = true;
		else if (c == 'f')
			src.password_file = optarg;
		else if (c != 'v')
			return cli_usage_error("info", "unknown option");
		else if (cli_image_add_volume_dir(&src, "info", optarg) != CLI_OK)
			return CLI_USAGE;
	}
	if (argc - optind != 1)
		return cli_usage_error("info", "expected one IMAGE");
	struct lb_image *img;
	if (cli_image_open(argv[optind], &src, &img) != CLI_OK)
		return CLI_FAILED;
	bool unlocked = !lb_image_locked(img);
	if (json)
		print_json(lb_image_get_info(img), unlocked);
	else
		print_text(argv[optind], lb_image_get_info(img), unlocked);
	lb_image_close(img);
	return CLI_OK;
}
