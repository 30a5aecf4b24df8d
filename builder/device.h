/* Writing media to a real block device safely: what it is (model, size),
 * a confirmation naming both, and refusal of a disk that is in use (the
 * running system's disk or any disk with a mounted partition). */
#ifndef LIFEBOAT_BUILD_DEVICE_H
#define LIFEBOAT_BUILD_DEVICE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* Checks path is a whole block device nobody uses, shows its model and
 * size, and asks for "yes" on stdin unless assume_yes. size gets its size. */
int device_claim(const char *path, bool assume_yes, uint64_t *size);

/* Refuses when partition number of the whole disk path (device disk) is mounted. */
int device_partition_unused(const char *path, dev_t disk, unsigned number);

/* Prints question and reads "yes" from stdin; LB_E_CANCELLED otherwise. */
int device_confirm(const char *question);

struct lb_dev;
/* "PATH: MODEL, SIZE" for prompts. */
void device_describe(const struct lb_dev *dev, char *out, size_t n);

#endif
