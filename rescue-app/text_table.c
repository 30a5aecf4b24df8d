/* Column-aligned text tables: cells are copied, widths computed when the
 * table is printed, columns separated by one space. */
#include "text_table.h"

#include <stdlib.h>
#include <string.h>

void text_table_init(struct text_table *t, unsigned columns, const char *const *headers)
{
	memset(t, 0, sizeof *t);
	t->columns = columns < TEXT_TABLE_MAX_COLUMNS ? columns : TEXT_TABLE_MAX_COLUMNS;
	for (unsigned c = 0; c < t->columns; c++) {
		t->right_aligned[c] = headers[c][0] == '>';
		t->headers[c] = headers[c] + (t->right_aligned[c] ? 1 : 0);
	}
}

void text_table_add(struct text_table *t, const char *const *cells)
{
	char **grown = realloc(t->cells, (size_t)(t->rows + 1) * t->columns * sizeof *grown);
	if (!grown) {
		t->failed = true;
		return;
	}
	t->cells = grown;
	char **row = grown + (size_t)t->rows * t->columns;
	for (unsigned c = 0; c < t->columns; c++) {
		row[c] = strdup(cells[c] ? cells[c] : "");
		if (!row[c])
			t->failed = true;
	}
	t->rows++;
}

static void print_row(const struct text_table *t, FILE *out, const char *const *row, const size_t *width)
{
	unsigned last = t->columns;
	while (last > 0 && !(row[last - 1] && row[last - 1][0]) && !t->right_aligned[last - 1])
		last--;
	for (unsigned c = 0; c < last; c++) {
		const char *cell = row[c] ? row[c] : "";
		int w = (int)width[c];
		if (t->right_aligned[c])
			fprintf(out, "%s%*s", c ? " " : "", w, cell);
		else if (c + 1 == last)
			fprintf(out, "%s%s", c ? " " : "", cell);
		else
			fprintf(out, "%s%-*s", c ? " " : "", w, cell);
	}
	fputc('\n', out);
}

void text_table_print(const struct text_table *t, FILE *out)
{
	size_t width[TEXT_TABLE_MAX_COLUMNS];
	for (unsigned c = 0; c < t->columns; c++) {
		width[c] = strlen(t->headers[c]);
		for (unsigned r = 0; r < t->rows; r++) {
			const char *cell = t->cells[(size_t)r * t->columns + c];
			if (cell && strlen(cell) > width[c])
				width[c] = strlen(cell);
		}
	}
	print_row(t, out, t->headers, width);
	for (unsigned r = 0; r < t->rows; r++)
		print_row(t, out, (const char *const *)t->cells + (size_t)r * t->columns, width);
}

void text_table_free(struct text_table *t)
{
	for (size_t i = 0; t->cells && i < (size_t)t->rows * t->columns; i++)
		free(t->cells[i]);
	free(t->cells);
	memset(t, 0, sizeof *t);
}
