/* Array growth shared by the drivers-inject files (not part of the public API). */
#ifndef LIFEBOAT_DRV_GROW_H
#define LIFEBOAT_DRV_GROW_H

#include <stddef.h>

/* Makes *array hold at least need elements of size elem (doubling); 0 or -1. */
int drv_grow(void **array, size_t *cap, size_t need, size_t elem);

#endif
