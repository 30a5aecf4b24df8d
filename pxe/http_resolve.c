/* Maps an HTTP request target to the file it names: /job, /images/NAME, or
 * a path below the boot tree. Only plain names are accepted: no "..", no
 * percent escapes, no hidden files. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http.h"

/* True when every segment of path ("a/b/c") is a plain, visible name. */
static bool plain_path(const char *path)
{
	if (!*path)
		return false;
	for (const char *seg = path; seg;) {
		const char *slash = strchr(seg, '/');
		size_t n = slash ? (size_t)(slash - seg) : strlen(seg);
		if (n == 0 || seg[0] == '.')
			return false;
		for (size_t i = 0; i < n; i++) {
			unsigned char c = (unsigned char)seg[i];
			if (c <= ' ' || c >= 0x7f || c == '%' || c == '\\')
				return false;
		}
		seg = slash ? slash + 1 : NULL;
	}
	return true;
}

char *http_resolve(const struct http_roots *roots, const char *target)
{
	if (target[0] != '/')
		return NULL;
	const char *rel = target + 1;
	char *path = NULL;
	if (strcmp(rel, "job") == 0) {
		if (roots->job)
			path = strdup(roots->job);
	} else if (strncmp(rel, "images/", 7) == 0) {
		if (roots->images && plain_path(rel + 7) && asprintf(&path, "%s/%s", roots->images, rel + 7) < 0)
			path = NULL;
	} else if (plain_path(rel) && asprintf(&path, "%s/%s", roots->tree, rel) < 0) {
		path = NULL;
	}
	return path;
}
