/* Helpers shared by the kernel-module files (not part of the public API). */
#ifndef LIFEBOAT_KMOD_INTERNAL_H
#define LIFEBOAT_KMOD_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

#include "../util/grow.h"


/* Reads a small text file (first line, newline stripped) into buf; false if absent. */
bool kmod_read_line(const char *path, char *buf, size_t len);

/* The "depends=" list of an uncompressed .ko (its .modinfo section), malloc'ed; "" if none. */
int kmod_modinfo_depends(const char *path, char **out);

/* snprintf into a path buffer; false (and "" in out) when it does not fit. */
bool kmod_pathf(char *out, size_t len, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#endif
