/* Opening an image for restore, verify and info: --volumes folders and a
 * prompt for the folder of a missing split volume, then the password of an
 * encrypted image. */
#ifndef LIFEBOAT_IMAGE_OPEN_H
#define LIFEBOAT_IMAGE_OPEN_H

#include <stdbool.h>

#include "lifeboat/image.h"

#define CLI_MAX_VOLUME_DIRS 16

struct cli_image_source {
	const char *volume_dirs[CLI_MAX_VOLUME_DIRS];
	unsigned volume_dir_count;
	const char *password_file;
	bool password_if_given;   /* no prompt: unlock only with --password-file or $LIFEBOAT_PASSWORD */
};

/* Adds a --volumes DIR; CLI_OK or a usage error for command. */
int cli_image_add_volume_dir(struct cli_image_source *src, const char *command, const char *dir);
/* Opens and (when encrypted) unlocks path, asking for the password on the
 * terminal unless src->password_if_given. Returns CLI_OK, or prints the
 * error and returns CLI_FAILED. */
int cli_image_open(const char *path, const struct cli_image_source *src, struct lb_image **out);

#endif
