/* A small streaming JSON writer into an lb_strbuf: objects, arrays, and
 * correctly escaped strings, with two-space indentation. */
#ifndef LIFEBOAT_JSON_H
#define LIFEBOAT_JSON_H

#include <stdbool.h>
#include <stdint.h>

#include "lifeboat/strbuf.h"

#define LB_JSON_MAX_DEPTH 32

struct lb_json {
	struct lb_strbuf *out;
	int depth;
	bool need_comma[LB_JSON_MAX_DEPTH];
};

void lb_json_init(struct lb_json *j, struct lb_strbuf *out);

/* Containers. key is NULL inside arrays and at top level. */
void lb_json_begin_object(struct lb_json *j, const char *key);
void lb_json_end_object(struct lb_json *j);
void lb_json_begin_array(struct lb_json *j, const char *key);
void lb_json_end_array(struct lb_json *j);

/* Values; a NULL string writes null. */
void lb_json_string(struct lb_json *j, const char *key, const char *value);
void lb_json_uint(struct lb_json *j, const char *key, uint64_t value);
void lb_json_int(struct lb_json *j, const char *key, int64_t value);
void lb_json_double(struct lb_json *j, const char *key, double value);
void lb_json_bool(struct lb_json *j, const char *key, bool value);
void lb_json_null(struct lb_json *j, const char *key);

#endif
