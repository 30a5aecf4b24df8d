/* Doubling growth of malloc'ed arrays for the drivers-inject library. */
#include "grow.h"

#include <stdlib.h>

int drv_grow(void **array, size_t *cap, size_t need, size_t elem)
{
	if (need <= *cap)
		return 0;
	size_t n = *cap ? *cap * 2 : 8;
	while (n < need)
		n *= 2;
	void *p = realloc(*array, n * elem);
	if (!p)
		return -1;
	*array = p;
	*cap = n;
	return 0;
}
