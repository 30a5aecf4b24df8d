/* Filling the initramfs root: kernel modules with their dependencies, and
 * programs with the shared libraries they load. */
#ifndef LIFEBOAT_BUILD_RESCUE_ROOT_H
#define LIFEBOAT_BUILD_RESCUE_ROOT_H

#include "build.h"
#include "lifeboat/strbuf.h"

/* Copies the modules named in names (one per line), everything modules.dep
 * and modules.softdep say they need, and the .ko files of cfg->add_modules
 * into root/lib/modules/VERSION, then runs depmod there. */
int modules_install(const struct build_config *cfg, const char *root, const char *names);

/* Copies the program at path to the same path under root, plus each shared
 * library ldd lists for it. copied remembers what is there already. */
int program_install(const char *path, const char *root, struct lb_strbuf *copied);

/* Copies glibc's gconv module cache and the modules hivex's iconv needs
 * (Latin-1, UTF-16) into root, at this machine's paths (gconv.c). */
int gconv_install(const char *root, struct lb_strbuf *copied);

/* The full path of a program named in PATH-like system directories, or NULL. */
char *program_find(const char *name);

#endif
