/* Used-block map of Linux swap: only the header page (label, UUID) is kept;
 * the rest is scratch space. */
#include "fs_backends.h"

#include <string.h>

#define SWAP_PAGE 4096

static int swap_probe(const uint8_t *head, uint64_t dev_size)
{
	return dev_size >= SWAP_PAGE && (memcmp(head + SWAP_PAGE - 10, "SWAPSPACE2", 10) == 0 ||
					 memcmp(head + SWAP_PAGE - 10, "SWAP-SPACE", 10) == 0);
}

static int swap_map(struct lb_dev *dev, const uint8_t *head, struct lb_fs_map *map)
{
	(void)dev;
	memcpy(map->label, head + 1024 + 28, 16);
	map->block_size = SWAP_PAGE;
	return lb_extents_add(&map->used, 0, SWAP_PAGE);
}

const struct lb_fs_backend lb_fs_swap = { "swap", swap_probe, swap_map };
