/* Getting the password of an encrypted image: --password-file FILE (its
 * first line), $LIFEBOAT_PASSWORD, or a prompt on the terminal with echo
 * off. The password never appears on the command line. */
#include "image_password.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "cli.h"
#include "lifeboat/error.h"

static void chomp(char *s)
{
	s[strcspn(s, "\r\n")] = '\0';
}

static int from_file(const char *file, char out[CLI_PASSWORD_MAX])
{
	FILE *f = fopen(file, "re");
	if (!f)
		return cli_fail("%s: %s", file, strerror(errno));
	bool ok = fgets(out, CLI_PASSWORD_MAX, f) != NULL;
	fclose(f);
	if (!ok)
		return cli_fail("%s: the password file is empty", file);
	chomp(out);
	return CLI_OK;
}

/* Reads one line from the terminal with echo off. */
static bool prompt(FILE *tty, const char *text, char out[CLI_PASSWORD_MAX])
{
	struct termios old, quiet;
	int fd = fileno(tty);
	if (tcgetattr(fd, &old) < 0)
		return false;
	quiet = old;
	quiet.c_lflag &= ~(tcflag_t)ECHO;
	quiet.c_lflag |= ICANON;
	fputs(text, tty);
	fflush(tty);
	tcsetattr(fd, TCSANOW, &quiet);
	bool ok = fgets(out, CLI_PASSWORD_MAX, tty) != NULL;
	tcsetattr(fd, TCSANOW, &old);
	fputc('\n', tty);
	fflush(tty);
	if (ok)
		chomp(out);
	return ok;
}

static int from_terminal(const char *image, bool confirm, char out[CLI_PASSWORD_MAX])
{
	FILE *tty = fopen("/dev/tty", "r+e");
	if (!tty || !isatty(fileno(tty))) {
		if (tty)
			fclose(tty);
		return cli_fail("%s: a password is needed: give --password-file FILE or set LIFEBOAT_PASSWORD "
				"(no terminal to ask on)",
				image);
	}
	char text[512], again[CLI_PASSWORD_MAX];
	snprintf(text, sizeof text, "Password for %s: ", image);
	int rc = prompt(tty, text, out) ? CLI_OK : cli_fail("%s: no password typed", image);
	if (rc == CLI_OK && confirm)
		rc = prompt(tty, "The same password again: ", again) && strcmp(again, out) == 0
			     ? CLI_OK
			     : cli_fail("%s: the two passwords differ", image);
	explicit_bzero(again, sizeof again);
	fclose(tty);
	return rc;
}

int cli_get_password(const char *file, const char *image, bool ask, bool confirm, char out[CLI_PASSWORD_MAX])
{
	const char *env = getenv("LIFEBOAT_PASSWORD");
	int rc;
	out[0] = '\0';
	if (file)
		rc = from_file(file, out);
	else if (env && *env)
		rc = snprintf(out, CLI_PASSWORD_MAX, "%s", env) < CLI_PASSWORD_MAX
			     ? CLI_OK
			     : cli_fail("LIFEBOAT_PASSWORD is longer than %d bytes", CLI_PASSWORD_MAX - 1);
	else if (ask)
		rc = from_terminal(image, confirm, out);
	else
		rc = cli_fail("%s: a password is needed: give --password-file FILE or set LIFEBOAT_PASSWORD", image);
	if (rc == CLI_OK && !out[0])
		rc = cli_fail("%s: the password is empty", image);
	return rc;
}

int cli_unlock_image(struct lb_image *img, const char *image, const char *password_file, bool ask)
{
	if (!lb_image_locked(img))
		return CLI_OK;
	char pw[CLI_PASSWORD_MAX];
	int rc = cli_get_password(password_file, image, ask, false, pw);
	if (rc == CLI_OK && lb_image_unlock(img, pw) < 0)
		rc = cli_fail_core();
	explicit_bzero(pw, sizeof pw);
	return rc;
}
