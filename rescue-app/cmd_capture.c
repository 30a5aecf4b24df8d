/* lifeboat capture: image a disk, partition or file-system image file into
 * an .lbi image (file, split volumes, or standard output), optionally
 * encrypted with a password. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "commands.h"
#include "image_cli.h"
#include "image_password.h"
#include "lifeboat/disk.h"
#include "lifeboat/error.h"

#define MAX_PARTITIONS 128

/* "1,2,5" into numbers (each 1..256, at most MAX_PARTITIONS). */
static int parse_partitions(const char *list, unsigned *out, unsigned *count)
{
	*count = 0;
	for (const char *p = list;;) {
		char *end;
		unsigned long n = strtoul(p, &end, 10);
		if (end == p || n < 1 || n > 256 || *count == MAX_PARTITIONS)
			return -1;
		out[(*count)++] = (unsigned)n;
		if (*end == '\0')
			return 0;
		if (*end != ',')
			return -1;
		p = end + 1;
	}
}

int cmd_capture(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "compress", required_argument, NULL, 'c' },
		{ "split", required_argument, NULL, 's' },
		{ "sector-by-sector", no_argument, NULL, 'S' },
		{ "comment", required_argument, NULL, 'm' },
		{ "threads", required_argument, NULL, 't' },
		{ "chunk-size", required_argument, NULL, 'k' },
		{ "progress", required_argument, NULL, 'p' },
		{ "encrypt", no_argument, NULL, 'e' },
		{ "password-file", required_argument, NULL, 'f' },
		{ "kdf-memory", required_argument, NULL, 'K' },
		{ "partitions", required_argument, NULL, 'P' },
		{ 0 },
	};
	struct lb_capture_opts o = { .codec = LB_CODEC_ZSTD, .level = 3 };
	unsigned partitions[MAX_PARTITIONS];
	int progress_mode = PROGRESS_AUTO, c;
	bool encrypt = false;
	const char *password_file = NULL;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'c':
			if (lb_codec_parse(optarg, &o.codec, &o.level) < 0)
				return cli_usage_error("capture", "%s", lb_error_message());
			break;
		case 's':
			if (!(o.split_size = cli_parse_size(optarg)) || o.split_size < (1u << 20))
				return cli_usage_error("capture", "--split needs a size of at least 1M, like 4G");
			break;
		case 'S': o.sector_by_sector = true; break;
		case 'm': o.comment = optarg; break;
		case 't':
			if ((o.threads = (unsigned)atoi(optarg)) < 1 || o.threads > 64)
				return cli_usage_error("capture", "--threads must be 1 to 64");
			break;
		case 'k':
			if (!(o.chunk_size = (uint32_t)cli_parse_size(optarg)))
				return cli_usage_error("capture", "bad --chunk-size '%s'", optarg);
			break;
		case 'p':
			if ((progress_mode = cli_parse_progress(optarg)) < 0)
				return cli_usage_error("capture", "--progress must be auto, json or none");
			break;
		case 'e': encrypt = true; break;
		case 'f': password_file = optarg; break;
		case 'P':
			if (parse_partitions(optarg, partitions, &o.partition_count) < 0)
				return cli_usage_error("capture", "--partitions takes partition numbers like 1,2,5");
			o.partitions = partitions;
			break;
		case 'K':
			o.kdf_memory = cli_parse_size(optarg);
			if (!lb_kdf_memory_valid(o.kdf_memory))
				return cli_usage_error("capture", "--kdf-memory must be a power of two from 1M to 256M");
			break;
		default:
			return cli_usage_error("capture", "unknown option");
		}
	}
	if (argc - optind != 2)
		return cli_usage_error("capture", "expected SOURCE and IMAGE");
	if (password_file && !encrypt)
		return cli_usage_error("capture", "--password-file needs --encrypt");
	if (o.kdf_memory && !encrypt)
		return cli_usage_error("capture", "--kdf-memory needs --encrypt");
	const char *source = argv[optind], *image = argv[optind + 1];
	if (strcmp(image, "-") == 0 && isatty(STDOUT_FILENO))
		return cli_fail("refusing to write an image to a terminal");
	char password[CLI_PASSWORD_MAX];
	if (encrypt && cli_get_password(password_file, image, true, true, password) != CLI_OK)
		return CLI_FAILED;
	o.password = encrypt ? password : NULL;
	struct lb_dev *src;
	if (lb_dev_open_spec(source, LB_DEV_READ, &src) < 0) {
		explicit_bzero(password, sizeof password);
		return cli_fail_core();
	}
	struct progress_state ps;
	cli_progress_init(&ps, (enum progress_mode)progress_mode);
	o.progress = cli_progress;
	o.progress_ctx = &ps;
	o.cancel = &cli_interrupted;
	cli_catch_interrupt();
	int rc = lb_image_capture(src, image, &o);
	explicit_bzero(password, sizeof password);
	cli_progress_done(&ps);
	lb_dev_close(src);
	if (rc == LB_E_CANCELLED)
		return cli_fail("capture interrupted; the partial image was removed");
	if (rc < 0)
		return cli_fail_core();
	cli_print_warnings();
	return CLI_OK;
}
