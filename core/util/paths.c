/* Path helpers: creating a folder with its parents. */
#include "lifeboat/paths.h"

#include <errno.h>
#include <stdio.h>
#include <sys/stat.h>

#include "lifeboat/error.h"

int lb_mkdirs(const char *dir)
{
	char path[4096];
	if (snprintf(path, sizeof path, "%s", dir) >= (int)sizeof path)
		return lb_fail(LB_E_INVALID, "%s: path too long", dir);
	for (char *p = path + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(path, 0755) < 0 && errno != EEXIST)
			return lb_fail_errno(LB_E_IO, "cannot create %s", path);
		*p = '/';
	}
	if (mkdir(path, 0755) < 0 && errno != EEXIST)
		return lb_fail_errno(LB_E_IO, "cannot create %s", path);
	return 0;
}
