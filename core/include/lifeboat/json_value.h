/* A small JSON reader: parses a document into a tree of values, for the
 * JSON Lifeboat itself writes (reports) and reads back. */
#ifndef LIFEBOAT_JSON_VALUE_H
#define LIFEBOAT_JSON_VALUE_H

#include <stdbool.h>
#include <stddef.h>

enum lb_jv_type {
	LB_JV_NULL,
	LB_JV_BOOL,
	LB_JV_NUMBER,
	LB_JV_STRING,
	LB_JV_ARRAY,
	LB_JV_OBJECT,
};

struct lb_jv {
	enum lb_jv_type type;
	bool boolean;
	double number;
	char *string;          /* UTF-8, NUL-terminated */
	unsigned count;        /* arrays and objects */
	char **keys;           /* objects: count keys */
	struct lb_jv *items;   /* arrays and objects: count values */
};

/* Parses text (len bytes) into *out; fails with "offset N: what". */
int lb_jv_parse(const char *text, size_t len, struct lb_jv **out);
void lb_jv_free(struct lb_jv *value);

/* The member key of an object, or NULL. */
const struct lb_jv *lb_jv_get(const struct lb_jv *object, const char *key);
/* The string member key of an object, or fallback when absent or not a string. */
const char *lb_jv_get_string(const struct lb_jv *object, const char *key, const char *fallback);
double lb_jv_get_number(const struct lb_jv *object, const char *key, double fallback);

#endif
