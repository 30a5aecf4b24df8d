/* The process runner: how lifeboat-build drives Debian's tools (xorriso,
 * cpio, zstd, mkfs.vfat, mtools, sfdisk, sbverify...). A failing tool becomes
 * one lb_fail message naming the tool and the last line it printed. */
#ifndef LIFEBOAT_BUILD_RUN_H
#define LIFEBOAT_BUILD_RUN_H

#include "lifeboat/strbuf.h"

struct run_io {
	const char *stdin_file;   /* NULL: /dev/null */
	const char *stdout_file;  /* created/truncated; NULL: capture or discard */
	struct lb_strbuf *out;    /* captured stdout when stdout_file is NULL */
	const char *stdin_text;   /* fed to stdin instead of stdin_file */
	const char *cwd;          /* NULL: inherit */
};

/* Runs argv (NULL-terminated, argv[0] looked up in PATH) and waits for it.
 * Returns 0 when it exits 0, else LB_E_IO with the tool's last stderr line. */
int run_tool(const char *const *argv, const struct run_io *io);

/* run_tool with the arguments listed inline, ending with NULL. */
int run_toolv(const struct run_io *io, const char *prog, ...) __attribute__((sentinel));

/* True when prog is an executable found in PATH (or an existing path). */
int tool_exists(const char *prog);

#endif
