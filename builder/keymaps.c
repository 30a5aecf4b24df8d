/* Console keymaps for the rescue system: each name of iso-templates/
 * keymaps.list is looked up among console-data's keymaps and converted with
 * `loadkeys -b` into the binary format busybox's loadkmap reads, as
 * /usr/share/keymaps/NAME.bmap (what /init loads for lifeboat.kbd=NAME). */
#include <glob.h>
#include <stdlib.h>
#include <string.h>

#include "build.h"
#include "lifeboat/error.h"
#include "run.h"
#include "stage.h"

#define KEYMAP_SOURCES "/usr/share/keymaps/i386/*/"

/* The console-data source of keymap name, or NULL when it is not installed. */
static char *keymap_source(const char *name)
{
	char *pattern = xasprintf(KEYMAP_SOURCES "%s.kmap.gz", name);
	glob_t g;
	char *found = NULL;
	if (glob(pattern, 0, NULL, &g) == 0) {
		found = xasprintf("%s", g.gl_pathv[0]);
		globfree(&g);
	}
	free(pattern);
	return found;
}

static int install_keymap(const char *name, void *root)
{
	char *src = keymap_source(name);
	if (!src) {
		lb_warn("keymap %s is not installed on this machine (Debian package console-data); left out", name);
		return 0;
	}
	char *dst = xasprintf("%s/usr/share/keymaps/%s.bmap", (const char *)root, name);
	int rc = run_toolv(&(struct run_io){ .stdout_file = dst }, "loadkeys", "-q", "-b", src, NULL);
	free(dst);
	free(src);
	return rc;
}

int keymaps_install(const struct build_config *cfg, const char *root)
{
	if (!tool_exists("loadkeys"))
		return lb_fail(LB_E_NOTFOUND, "loadkeys is not installed (Debian package kbd)");
	return template_each_word(cfg, "keymaps.list", install_keymap, (void *)root);
}
