/* Splitting job text into lines of tokens: whitespace-separated words,
 * "double quotes" with \" and \\ escapes, # comments. */
#ifndef LIFEBOAT_JOB_LINES_H
#define LIFEBOAT_JOB_LINES_H

#include <stddef.h>

struct lb_job_token {
	char *text;        /* quotes removed */
	int eq;            /* offset in text of the first unquoted '=', -1 if none */
	size_t raw_end;    /* offset in the raw line just past the token */
};

struct lb_job_line {
	unsigned number;   /* 1-based */
	char *raw;         /* the line without its comment and line end */
	unsigned count;
	struct lb_job_token *tokens;
};

/* Splits text into its non-empty lines. On error the message is
 * "PATH:LINE: ...". */
int lb_job_split_lines(const char *path, const char *text, size_t len,
		       struct lb_job_line **out, unsigned *count);
void lb_job_free_lines(struct lb_job_line *lines, unsigned count);

#endif
