/* Writing media to a real block device safely: what it is (model, size),
 * a confirmation naming both, and refusal of a disk that is in use (the
 * running system's disk or any disk with a mounted partition). */
#ifndef LIFEBOAT_BUILD_DEVICE_H
#define LIFEBOAT_BUILD_DEVICE_H

#include <stdbool.h>
#include <stdint.h>

/* Checks path is a whole block device nobody uses, shows its model and
 * size, and asks for "yes" on stdin unless assume_yes. size gets its size. */
int device_claim(const char *path, bool assume_yes, uint64_t *size);

#endif
