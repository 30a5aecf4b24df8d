/* Programs of the rescue system beyond busybox: found in the build
 * machine's system directories and copied with the shared libraries ldd
 * reports, at the same paths, so the dynamic loader finds them. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lifeboat/error.h"
#include "rescue_root.h"
#include "run.h"
#include "stage.h"

char *program_find(const char *name)
{
	static const char *const dirs[] = { "/usr/sbin", "/usr/bin", "/sbin", "/bin" };
	for (size_t i = 0; i < sizeof dirs / sizeof *dirs; i++) {
		char *path = path_join(dirs[i], name);
		if (access(path, X_OK) == 0)
			return path;
		free(path);
	}
	return NULL;
}

/* Copies path into root unless copied already lists it. */
static int copy_once(const char *path, const char *root, struct lb_strbuf *copied, unsigned mode)
{
	char *key = xasprintf("\n%s\n", path);
	int rc = 0;
	if (!strstr(lb_strbuf_str(copied), key)) {
		char *dst = path_join(root, path);
		rc = stage_copy_file(path, dst, mode);
		free(dst);
		if (!copied->len)
			lb_strbuf_puts(copied, "\n");
		lb_strbuf_puts(copied, key + 1);
	}
	free(key);
	return rc;
}

int program_install(const char *path, const char *root, struct lb_strbuf *copied)
{
	int rc = copy_once(path, root, copied, 0755);
	if (rc)
		return rc;
	struct lb_strbuf out;
	lb_strbuf_init(&out);
	/* ldd fails on a static program: it then needs no libraries. */
	if (run_toolv(&(struct run_io){ .out = &out }, "ldd", path, NULL) != 0) {
		lb_error_clear();
		lb_strbuf_free(&out);
		return 0;
	}
	for (char *line = strtok(out.data, "\n"); !rc && line; line = strtok(NULL, "\n")) {
		char *lib = strstr(line, "=> /");
		lib = lib ? lib + 3 : line + strspn(line, " \t");
		if (*lib != '/')
			continue;
		lib[strcspn(lib, " (")] = '\0';
		rc = copy_once(lib, root, copied, 0755);
	}
	lb_strbuf_free(&out);
	return rc;
}
