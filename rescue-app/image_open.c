/* Opens an image the way the image commands share: split volumes looked for
 * in the --volumes folders and, on a terminal, in a folder the user types
 * (asked again while the folder does not hold the right volume); then the
 * password of an encrypted image. */
#include "image_open.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "image_password.h"
#include "lifeboat/error.h"

int cli_image_add_volume_dir(struct cli_image_source *src, const char *command, const char *dir)
{
	if (src->volume_dir_count == CLI_MAX_VOLUME_DIRS)
		return cli_usage_error(command, "at most %d --volumes folders", CLI_MAX_VOLUME_DIRS);
	src->volume_dirs[src->volume_dir_count++] = dir;
	return CLI_OK;
}

/* An lb_ask_volume_fn: asks on /dev/tty; gives up without a terminal or
 * on an empty answer. */
static int ask_volume(void *ctx, const char *name, unsigned n, const char *why, char *dir, size_t len)
{
	(void)ctx;
	FILE *tty = fopen("/dev/tty", "r+e");
	if (!tty || !isatty(fileno(tty))) {
		if (tty)
			fclose(tty);
		return -1;
	}
	fprintf(tty, "Volume %u of the image, %s, was not found (%s).\nFolder holding it (empty to give up): ", n, name,
		why);
	fflush(tty);
	bool ok = fgets(dir, (int)len, tty) != NULL;
	fclose(tty);
	if (ok)
		dir[strcspn(dir, "\r\n")] = '\0';
	return ok && dir[0] ? 0 : -1;
}

int cli_image_open(const char *path, const struct cli_image_source *src, struct lb_image **out)
{
	struct lb_open_opts o = { .volume_dirs = src->volume_dirs,
				  .volume_dir_count = src->volume_dir_count,
				  .ask_volume = ask_volume };
	if (lb_image_open_opts(path, &o, out) < 0)
		return cli_fail_core();
	const char *env = getenv("LIFEBOAT_PASSWORD");
	if (src->password_if_given && !src->password_file && !(env && *env))
		return CLI_OK;
	if (cli_unlock_image(*out, path, src->password_file, !src->password_if_given) != CLI_OK) {
		lb_image_close(*out);
		*out = NULL;
		return CLI_FAILED;
	}
	return CLI_OK;
}
