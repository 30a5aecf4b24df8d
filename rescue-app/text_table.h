/* Column-aligned text tables for the command line (widths from content). */
#ifndef LIFEBOAT_TEXT_TABLE_H
#define LIFEBOAT_TEXT_TABLE_H

#include <stdbool.h>
#include <stdio.h>

#define TEXT_TABLE_MAX_COLUMNS 16

struct text_table {
	unsigned columns;
	const char *headers[TEXT_TABLE_MAX_COLUMNS];
	bool right_aligned[TEXT_TABLE_MAX_COLUMNS];
	char **cells;      /* rows * columns copies */
	unsigned rows;
	bool failed;       /* an allocation failed; output is incomplete */
};

/* headers: column titles; a title starting with '>' is right-aligned (the
 * '>' is not printed). */
void text_table_init(struct text_table *t, unsigned columns, const char *const *headers);
/* Adds a row of exactly t->columns cells (NULL prints as empty). */
void text_table_add(struct text_table *t, const char *const *cells);
/* Prints the header and rows; trailing blanks are trimmed. */
void text_table_print(const struct text_table *t, FILE *out);
void text_table_free(struct text_table *t);

#endif
