/* A bounded worker pool with an ordered ring of job slots: chunks are
 * compressed or decoded in parallel while the caller reads and writes them
 * strictly in order. Memory stays bounded by the number of slots. */
#include "workers.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lifeboat/error.h"

struct worker_arg {
	struct lb_workers *w;
	unsigned index;
};

static void *worker_main(void *p)
{
	struct worker_arg *arg = p;
	struct lb_workers *w = arg->w;
	unsigned index = arg->index;
	free(arg);
	pthread_mutex_lock(&w->mu);
	for (;;) {
		while (!w->stop && w->taken == w->submitted)
			pthread_cond_wait(&w->work_cv, &w->mu);
		if (w->stop)
			break;
		unsigned slot = (unsigned)(w->taken++ % w->nslots);
		pthread_mutex_unlock(&w->mu);
		int rc = w->fn(w->ctx, index, slot);
		pthread_mutex_lock(&w->mu);
		w->rc[slot] = rc;
		if (rc < 0)
			snprintf(w->msg[slot], sizeof w->msg[slot], "%s", lb_error_message());
		w->done[slot] = true;
		pthread_cond_broadcast(&w->done_cv);
	}
	pthread_mutex_unlock(&w->mu);
	return NULL;
}

int lb_workers_start(struct lb_workers *w, unsigned nthreads, unsigned nslots, lb_work_fn fn, void *ctx)
{
	memset(w, 0, sizeof *w);
	w->fn = fn;
	w->ctx = ctx;
	w->nslots = nslots;
	pthread_mutex_init(&w->mu, NULL);
	pthread_cond_init(&w->work_cv, NULL);
	pthread_cond_init(&w->done_cv, NULL);
	w->threads = calloc(nthreads, sizeof *w->threads);
	w->done = calloc(nslots, sizeof *w->done);
	w->rc = calloc(nslots, sizeof *w->rc);
	w->msg = calloc(nslots, sizeof *w->msg);
	if (!w->threads || !w->done || !w->rc || !w->msg) {
		lb_workers_stop(w);
		return lb_fail(LB_E_NOMEM, "out of memory for worker threads");
	}
	for (unsigned i = 0; i < nthreads; i++) {
		struct worker_arg *arg = malloc(sizeof *arg);
		if (!arg || (arg->w = w, arg->index = i, pthread_create(&w->threads[i], NULL, worker_main, arg) != 0)) {
			free(arg);
			lb_workers_stop(w);
			return lb_fail(LB_E_NOMEM, "cannot start worker threads");
		}
		w->nthreads++;
	}
	return 0;
}

bool lb_workers_full(const struct lb_workers *w)
{
	return w->submitted - w->collected == w->nslots;
}

bool lb_workers_pending(const struct lb_workers *w)
{
	return w->submitted != w->collected;
}

unsigned lb_workers_next_slot(const struct lb_workers *w)
{
	return (unsigned)(w->submitted % w->nslots);
}

void lb_workers_submit(struct lb_workers *w)
{
	pthread_mutex_lock(&w->mu);
	w->done[w->submitted % w->nslots] = false;
	w->submitted++;
	pthread_cond_signal(&w->work_cv);
	pthread_mutex_unlock(&w->mu);
}

int lb_workers_collect(struct lb_workers *w, unsigned *slot)
{
	unsigned s = (unsigned)(w->collected % w->nslots);
	pthread_mutex_lock(&w->mu);
	while (!w->done[s])
		pthread_cond_wait(&w->done_cv, &w->mu);
	int rc = w->rc[s];
	pthread_mutex_unlock(&w->mu);
	*slot = s;
	if (rc < 0)
		lb_fail(rc, "%s", w->msg[s]);
	return rc;
}

void lb_workers_release(struct lb_workers *w)
{
	w->collected++;
}

void lb_workers_stop(struct lb_workers *w)
{
	if (w->nthreads) {
		pthread_mutex_lock(&w->mu);
		w->stop = true;
		pthread_cond_broadcast(&w->work_cv);
		pthread_mutex_unlock(&w->mu);
		for (unsigned i = 0; i < w->nthreads; i++)
			pthread_join(w->threads[i], NULL);
	}
	pthread_mutex_destroy(&w->mu);
	pthread_cond_destroy(&w->work_cv);
	pthread_cond_destroy(&w->done_cv);
	free(w->threads);
	free(w->done);
	free(w->rc);
	free(w->msg);
	memset(w, 0, sizeof *w);
}

unsigned lb_workers_default_threads(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	return n < 1 ? 1 : (unsigned)n;
}

void lb_workers_size(unsigned wanted, size_t slot_bytes, unsigned *nthreads, unsigned *nslots)
{
	unsigned threads = wanted ? wanted : lb_workers_default_threads();
	size_t fit = slot_bytes ? LB_WORKERS_MEMORY / slot_bytes : SIZE_MAX;
	unsigned slots = fit < 3 ? 3 : fit < 2 * (size_t)threads + 2 ? (unsigned)fit : 2 * threads + 2;
	if (threads > slots - 2)
		threads = slots - 2;
	*nthreads = threads;
	*nslots = slots;
}
