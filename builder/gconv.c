/* Character-set converters for the static lifeboat in the rescue system.
 * glibc's iconv loads every charset beyond its built-in few (UTF-8, UCS-4,
 * ASCII) from gconv modules at run time, even in a static program; hivex
 * decodes hive key and value names from Latin-1 and UTF-16LE through it, so
 * without these modules no Windows hive can be read. Copies the module
 * cache and those modules (with the libraries they load) from this machine. */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "lifeboat/error.h"
#include "rescue_root.h"
#include "stage.h"

static const char *const gconv_dirs[] = {
	"/usr/lib/x86_64-linux-gnu/gconv", "/usr/lib64/gconv", "/usr/lib/gconv",
};

static const char *const gconv_modules[] = { "ISO8859-1.so", "UTF-16.so", "UTF-32.so", "UNICODE.so" };

/* A static program's dlopen looks for libc's loader by its name in the
 * library folders, not at /lib64 where ldd names it. */
static const char *const loaders[] = { "/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2" };

int gconv_install(const char *root, struct lb_strbuf *copied)
{
	const char *dir = NULL;
	char *cache = NULL;
	for (size_t i = 0; !dir && i < sizeof gconv_dirs / sizeof *gconv_dirs; i++) {
		cache = path_join(gconv_dirs[i], "gconv-modules.cache");
		if (access(cache, R_OK) == 0)
			dir = gconv_dirs[i];
		else
			free(cache);
	}
	if (!dir)
		return lb_fail(LB_E_NOTFOUND, "no gconv-modules.cache (Debian package libc6): the rescue app could not read Windows hives");
	char *dst = path_join(root, cache);
	int rc = stage_copy_file(cache, dst, 0644);
	free(dst);
	free(cache);
	for (size_t i = 0; !rc && i < sizeof loaders / sizeof *loaders; i++)
		if (access(loaders[i], R_OK) == 0)
			rc = program_install(loaders[i], root, copied);
	for (size_t i = 0; !rc && i < sizeof gconv_modules / sizeof *gconv_modules; i++) {
		char *module = path_join(dir, gconv_modules[i]);
		rc = program_install(module, root, copied);
		free(module);
	}
	return rc;
}
