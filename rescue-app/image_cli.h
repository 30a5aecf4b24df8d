/* Shared pieces of the image commands (capture, restore, verify, info):
 * sizes with suffixes, progress on stderr or as JSON lines, and SIGINT
 * turned into a clean stop. */
#ifndef LIFEBOAT_IMAGE_CLI_H
#define LIFEBOAT_IMAGE_CLI_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>

#include "lifeboat/image.h"

enum progress_mode { PROGRESS_AUTO, PROGRESS_JSON, PROGRESS_NONE };

struct progress_state {
	enum progress_mode mode;
	double start, last;
	bool shown;
};

/* Parses "4G", "700M", "512K", "1048576" (binary units); 0 on error. */
uint64_t cli_parse_size(const char *text);
/* Parses the value of --progress (json, none, auto); -1 if unknown. */
int cli_parse_progress(const char *text);
void cli_progress_init(struct progress_state *p, enum progress_mode mode);
/* An lb_progress_fn: ctx is a struct progress_state. */
void cli_progress(const struct lb_progress *pr, void *ctx);
/* Ends a progress line on a terminal. */
void cli_progress_done(struct progress_state *p);
/* "1.5 GiB" */
void cli_format_bytes(uint64_t n, char *out, unsigned len);

/* Set by SIGINT once cli_catch_interrupt was called. */
extern volatile sig_atomic_t cli_interrupted;
void cli_catch_interrupt(void);

#endif
