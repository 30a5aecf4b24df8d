/* Passwords of encrypted images for the image commands: from a file
 * (--password-file), the LIFEBOAT_PASSWORD variable, or typed on the
 * terminal without echo. */
#ifndef LIFEBOAT_IMAGE_PASSWORD_H
#define LIFEBOAT_IMAGE_PASSWORD_H

#include <stdbool.h>
#include <stddef.h>

#include "lifeboat/image.h"

#define CLI_PASSWORD_MAX 1024

/* Fills out with the password for image: file (first line), else
 * $LIFEBOAT_PASSWORD, else (when ask) a prompt on /dev/tty, typed twice
 * when confirm. Returns CLI_OK or prints the error and returns CLI_FAILED. */
int cli_get_password(const char *file, const char *image, bool ask, bool confirm, char out[CLI_PASSWORD_MAX]);

/* Unlocks an encrypted image with cli_get_password (nothing to do for a
 * plain one). Returns CLI_OK or prints the error and returns CLI_FAILED. */
int cli_unlock_image(struct lb_image *img, const char *image, const char *password_file, bool ask);

#endif
