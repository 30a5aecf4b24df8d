/* Internal: a bounded pool of worker threads over a ring of job slots. The
 * caller fills slots in order, workers process them in any order, and the
 * caller collects them back in the order it filled them. */
#ifndef LIFEBOAT_WORKERS_H
#define LIFEBOAT_WORKERS_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Processes slot; returns 0 or a negative LB_E_* code with lb_fail set. */
typedef int (*lb_work_fn)(void *ctx, unsigned worker, unsigned slot);

struct lb_workers {
	pthread_mutex_t mu;
	pthread_cond_t work_cv, done_cv;
	pthread_t *threads;
	unsigned nthreads, nslots;
	uint64_t submitted, taken, collected;
	bool *done;
	int *rc;
	char (*msg)[512];
	bool stop;
	lb_work_fn fn;
	void *ctx;
};

int lb_workers_start(struct lb_workers *w, unsigned nthreads, unsigned nslots, lb_work_fn fn, void *ctx);
/* Caller protocol: while full, collect and release the oldest; then fill
 * next_slot and submit; at the end collect while pending. */
bool lb_workers_full(const struct lb_workers *w);
unsigned lb_workers_next_slot(const struct lb_workers *w);
void lb_workers_submit(struct lb_workers *w);
bool lb_workers_pending(const struct lb_workers *w);
/* Waits for the oldest submitted slot; returns its result (the worker's
 * message is re-raised on this thread) and its index in *slot. The slot is
 * free again once the caller calls lb_workers_release. */
int lb_workers_collect(struct lb_workers *w, unsigned *slot);
void lb_workers_release(struct lb_workers *w);
void lb_workers_stop(struct lb_workers *w);
/* Online CPUs, at least 1. */
unsigned lb_workers_default_threads(void);
/* Threads and slots for a pool whose slots hold slot_bytes each: as many
 * threads as wanted (0: one per CPU) and twice as many slots plus two, cut
 * down so that all slots together stay within LB_WORKERS_MEMORY (at least
 * one thread and three slots, whatever the chunk size). */
#define LB_WORKERS_MEMORY (160u << 20)
void lb_workers_size(unsigned wanted, size_t slot_bytes, unsigned *nthreads, unsigned *nslots);

#endif
