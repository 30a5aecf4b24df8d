/* lifeboat verify: check every chunk, the index and the whole-image digest
 * of an .lbi image without a target (decrypting an encrypted one). */
#include <getopt.h>
#include <stdio.h>

#include "cli.h"
#include "commands.h"
#include "image_cli.h"
#include "image_open.h"
#include "lifeboat/error.h"

int cmd_verify(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "progress", required_argument, NULL, 'p' },
		{ "password-file", required_argument, NULL, 'f' },
		{ "volumes", required_argument, NULL, 'v' },
		{ 0 },
	};
	int progress_mode = PROGRESS_AUTO, c;
	struct cli_image_source src = { .volume_dir_count = 0 };
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 'f')
			src.password_file = optarg;
		else if (c == 'v') {
			if (cli_image_add_volume_dir(&src, "verify", optarg) != CLI_OK)
				return CLI_USAGE;
		} else if (c != 'p' || (progress_mode = cli_parse_progress(optarg)) < 0)
			return cli_usage_error("verify", "unknown option or --progress value");
	}
	if (argc - optind != 1)
		return cli_usage_error("verify", "expected one IMAGE");
	const char *path = argv[optind];
	struct lb_image *img;
	if (cli_image_open(path, &src, &img) != CLI_OK)
		return CLI_FAILED;
	struct progress_state ps;
	cli_progress_init(&ps, (enum progress_mode)progress_mode);
	cli_catch_interrupt();
	int rc = lb_image_verify(img, cli_progress, &ps, &cli_interrupted);
	cli_progress_done(&ps);
	if (rc < 0) {
		lb_fail_context(rc, "%s", path);
		lb_image_close(img);
		return cli_fail_core();
	}
	const struct lb_image_info *info = lb_image_get_info(img);
	char used[32];
	cli_format_bytes(info->used_bytes, used, sizeof used);
	printf("%s: OK (%s of data in every chunk, index and digest checked)\n", path, used);
	lb_image_close(img);
	return CLI_OK;
}
