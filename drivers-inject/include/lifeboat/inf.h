/* INF files as Windows setup reads them: sections of lines, each line an
 * optional key and a list of fields, with %strings% already substituted
 * (Wine/ReactOS setupapi semantics; see docs in README "Drivers"). */
#ifndef LIFEBOAT_INF_H
#define LIFEBOAT_INF_H

#include <stddef.h>

/* Longest field accepted, in bytes of UTF-8, before or after substitution. */
#define LB_INF_MAX_FIELD 4096

struct lb_inf_line {
	char *key;         /* text before '='; a lone field without '=' is its own key; else NULL */
	char **fields;     /* the values after '=' (or the whole line), quotes removed */
	size_t nfields;
	unsigned lineno;   /* physical line where the logical line starts */
};

struct lb_inf_section {
	char *name;        /* as spelled at its first occurrence */
	struct lb_inf_line *lines;  /* repeated sections are merged in file order */
	size_t nlines, cap;
};

struct lb_inf {
	char *name;        /* file name used in messages ("viostor.inf") */
	struct lb_inf_section *sections;
	size_t nsections, cap;
};

/* Parses an INF held in memory: UTF-16LE or UTF-16BE with a BOM, UTF-8 with
 * or without a BOM, else Windows-1252. name is used in messages
 * ("name:LINE: what is wrong"). */
int lb_inf_parse(const char *name, const void *data, size_t len, struct lb_inf **out);

/* Reads and parses the INF file at path. */
int lb_inf_load(const char *path, struct lb_inf **out);

void lb_inf_free(struct lb_inf *inf);

/* The section called name (case-insensitive), or NULL. */
const struct lb_inf_section *lb_inf_section(const struct lb_inf *inf, const char *name);

/* The first line of section whose key is key (case-insensitive), or NULL. */
const struct lb_inf_line *lb_inf_find(const struct lb_inf_section *sec, const char *key);

/* The first field of the line keyed key in section, or NULL. */
const char *lb_inf_value(const struct lb_inf *inf, const char *section, const char *key);

/* Field i of line, "" when the line has fewer fields. */
const char *lb_inf_field(const struct lb_inf_line *line, size_t i);

/* Decodes an INF's bytes into NUL-terminated UTF-8 (stopping at Ctrl-Z);
 * *out is malloc'ed. name is for messages. */
int lb_inf_decode(const char *name, const unsigned char *data, size_t len, char **out);

#endif
