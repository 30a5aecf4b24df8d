/* Sorted extent lists: the used-block maps built by the file-system
 * backends, kept merged so a map of a fragmented file system stays small. */
#include "lifeboat/fsmap.h"

#include <stdlib.h>
#include <string.h>

#include "lifeboat/error.h"

static int reserve(struct lb_extents *e, size_t want)
{
	if (want <= e->cap)
		return 0;
	size_t cap = e->cap ? e->cap * 2 : 64;
	while (cap < want)
		cap *= 2;
	struct lb_extent *v = realloc(e->v, cap * sizeof *v);
	if (!v)
		return lb_fail(LB_E_NOMEM, "out of memory for a used-block map");
	e->v = v;
	e->cap = cap;
	return 0;
}

int lb_extents_add(struct lb_extents *e, uint64_t start, uint64_t len)
{
	if (len == 0)
		return 0;
	if (e->count > 0) {
		struct lb_extent *last = &e->v[e->count - 1];
		if (start < last->start)
			return lb_fail(LB_E_INVALID, "used-block map out of order");
		if (start <= last->start + last->len) {
			uint64_t end = start + len;
			if (end > last->start + last->len)
				last->len = end - last->start;
			return 0;
		}
	}
	int rc = reserve(e, e->count + 1);
	if (rc < 0)
		return rc;
	e->v[e->count].start = start;
	e->v[e->count].len = len;
	e->count++;
	return 0;
}

int lb_extents_remove(struct lb_extents *e, uint64_t start, uint64_t len)
{
	uint64_t end = start + len;
	for (size_t i = 0; i < e->count; i++) {
		struct lb_extent *x = &e->v[i];
		uint64_t xend = x->start + x->len;
		if (xend <= start || x->start >= end)
			continue;
		if (x->start < start && xend > end) {
			int rc = reserve(e, e->count + 1);
			if (rc < 0)
				return rc;
			x = &e->v[i];
			memmove(&e->v[i + 2], &e->v[i + 1], (e->count - i - 1) * sizeof *x);
			e->v[i + 1].start = end;
			e->v[i + 1].len = xend - end;
			x->len = start - x->start;
			e->count++;
			return 0;
		}
		if (x->start < start) {
			x->len = start - x->start;
		} else if (xend > end) {
			x->len = xend - end;
			x->start = end;
		} else {
			memmove(x, x + 1, (e->count - i - 1) * sizeof *x);
			e->count--;
			i--;
		}
	}
	return 0;
}

uint64_t lb_extents_total(const struct lb_extents *e)
{
	uint64_t t = 0;
	for (size_t i = 0; i < e->count; i++)
		t += e->v[i].len;
	return t;
}

void lb_extents_free(struct lb_extents *e)
{
	free(e->v);
	memset(e, 0, sizeof *e);
}
