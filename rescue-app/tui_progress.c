/* The progress widget: runs an operation in a worker thread and shows a bar,
 * MB/s, elapsed time, ETA and what is being done; c or Esc asks to cancel,
 * and a cancel is passed to the operation, which stops cleanly. The
 * worker's error message and warnings come back to the calling thread. */
#include "tui.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "lifeboat/error.h"

struct worker {
	struct tui_work *work;
	pthread_mutex_t lock;
	int rc;
	bool finished;
	char message[512];
	char **warnings;      /* the worker's, handed to the calling thread */
	int warning_count;
};

void tui_work_progress(struct tui_work *work, const char *stage, uint64_t done, uint64_t total)
{
	struct worker *w = work->lock;
	pthread_mutex_lock(&w->lock);
	if (stage)
		snprintf(work->stage, sizeof work->stage, "%s", stage);
	work->done = done;
	work->total = total;
	pthread_mutex_unlock(&w->lock);
}

static void *worker_main(void *arg)
{
	struct worker *w = arg;
	int rc = w->work->run(w->work->ctx, w->work);
	pthread_mutex_lock(&w->lock);
	w->rc = rc;
	if (rc < 0)
		snprintf(w->message, sizeof w->message, "%s", lb_error_message());
	w->warning_count = lb_warnings_take(&w->warnings);
	w->finished = true;
	pthread_mutex_unlock(&w->lock);
	return NULL;
}

void tui_size(uint64_t bytes, char *out, int size)
{
	const char *units[] = { "B", "kB", "MB", "GB", "TB" };
	double v = (double)bytes;
	int u = 0;
	while (v >= 1000 && u < 4) {
		v /= 1000;
		u++;
	}
	snprintf(out, (size_t)size, u == 0 ? "%.0f %s" : "%.1f %s", v, units[u]);
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void format_duration(double s, char *out, size_t size)
{
	unsigned t = s > 0 ? (unsigned)s : 0;
	snprintf(out, size, "%u:%02u:%02u", t / 3600, t / 60 % 60, t % 60);
}

static void draw(const char *title, const struct tui_work *snap, double elapsed, bool asking)
{
	const char *keys = snap->uncancellable ? " Please wait"
			   : asking	       ? " y: cancel the operation   n: carry on"
					       : " c or Esc: cancel";
	if (!tui_frame(title, keys))
		return;
	int row = tui_top() + 1;
	if (snap->total == 0) {
		char el[32];
		format_duration(elapsed, el, sizeof el);
		tui_textf(row, true, "Working: %s", snap->stage[0] ? snap->stage : "starting");
		tui_textf(row + 2, false, "Elapsed:  %s", el);
		return;
	}
	double frac = snap->total ? (double)snap->done / (double)snap->total : 0;
	if (frac > 1)
		frac = 1;
	int width = COLS - 14;
	mvaddch(row, 2, '[');
	for (int i = 0; i < width; i++)
		addch(i < (int)(frac * width) ? '#' : '.');
	printw("] %3d%%", (int)(frac * 100));
	char done[32], total[32], el[32], eta[32] = "-";
	tui_size(snap->done, done, sizeof done);
	tui_size(snap->total, total, sizeof total);
	format_duration(elapsed, el, sizeof el);
	double rate = elapsed > 0 ? (double)snap->done / elapsed : 0;
	if (rate > 0 && snap->total > snap->done)
		format_duration((double)(snap->total - snap->done) / rate, eta, sizeof eta);
	tui_textf(row + 2, false, "Done:     %s of %s", done, total);
	tui_textf(row + 3, false, "Speed:    %.1f MB/s", rate / 1e6);
	tui_textf(row + 4, false, "Elapsed:  %s    Remaining: %s", el, eta);
	tui_textf(row + 5, true, "Now:      %s", snap->stage[0] ? snap->stage : "starting");
	if (asking)
		tui_status("Cancel? The target will be left incomplete. y / n");
}

int tui_progress(const char *title, struct tui_work *work, double *seconds)
{
	struct worker w = { .work = work };
	pthread_mutex_init(&w.lock, NULL);
	work->lock = &w;
	work->cancel = 0;
	double start = now();
	pthread_t thread;
	if (pthread_create(&thread, NULL, worker_main, &w) != 0) {
		pthread_mutex_destroy(&w.lock);
		return lb_fail(LB_E_NOMEM, "cannot start the operation's thread");
	}
	bool asking = false;
	for (;;) {
		struct tui_work snap;
		pthread_mutex_lock(&w.lock);
		bool finished = w.finished;
		memcpy(&snap, work, sizeof snap);
		pthread_mutex_unlock(&w.lock);
		if (finished)
			break;
		draw(title, &snap, now() - start, asking && !work->cancel);
		int k = tui_key_timeout(200);
		if (k == TUI_KEY_INTERRUPT && !work->uncancellable) {
			work->cancel = 1;
			tui_interrupted = 0;
		} else if (!asking && !work->uncancellable && (k == 'c' || k == TUI_KEY_ESC)) {
			asking = true;
		} else if (asking && (k == 'y' || k == 'Y')) {
			work->cancel = 1;
			asking = false;
		} else if (asking && (k == 'n' || k == 'N' || k == TUI_KEY_ESC)) {
			asking = false;
		}
	}
	pthread_join(thread, NULL);
	pthread_mutex_destroy(&w.lock);
	for (int i = 0; i < w.warning_count; i++)
		lb_warn("%s", w.warnings[i]);
	if (w.warning_count > 0)
		lb_warnings_free(w.warnings, w.warning_count);
	*seconds = now() - start;
	if (w.rc < 0)
		lb_fail(w.rc, "%s", w.message);
	return w.rc;
}
