/* Running a helper program of the rescue system (ip, udhcpc) and keeping
 * what it printed, for screens that show the outcome. */
#ifndef LIFEBOAT_APP_EXEC_H
#define LIFEBOAT_APP_EXEC_H

#include <stddef.h>

/* Runs argv (searched in PATH) with stdin from /dev/null, stdout and stderr
 * into out (NUL-terminated, cut to size). Returns its exit status, or -1 if
 * it could not be started (out says why). */
int app_exec(char *const argv[], char *out, size_t size);

#endif
