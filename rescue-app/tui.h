/* The text UI's building blocks: the screen (start/stop, frame, keys,
 * terminal safety on signals and crashes) and full-screen widgets (list,
 * input, typed confirmation, message, progress). Every widget redraws itself
 * whole on a resize and shows a message instead when the terminal is smaller
 * than 80x24. Plain ASCII, so vt100 and serial consoles show it right. */
#ifndef LIFEBOAT_TUI_H
#define LIFEBOAT_TUI_H

#include <curses.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>

#define TUI_MIN_COLS 80
#define TUI_MIN_LINES 24

enum tui_result {
	TUI_BACK = -1,        /* Esc: one screen back */
	TUI_QUIT = -2,        /* q on the main screen, or SIGINT/SIGTERM/SIGHUP */
};

/* --- screen (tui_screen.c) --- */

/* Opens the terminal; -1 with a message on stderr when it cannot. */
int tui_start(void);
/* Gives the terminal back as it was; safe to call twice. */
void tui_stop(void);
/* Set by SIGINT, SIGTERM and SIGHUP. */
extern volatile sig_atomic_t tui_interrupted;

bool tui_big_enough(void);
/* Clears and draws header, title and footer; when the terminal is too small
 * it draws the "too small" message instead and returns false. */
bool tui_frame(const char *title, const char *keys);
/* The content area: rows [tui_top(), tui_bottom()). */
int tui_top(void);
int tui_bottom(void);
/* A line of text at row, column 2, cut to the width; bold if strong. */
void tui_text(int row, const char *text, bool strong);
void tui_textf(int row, bool strong, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* The status line above the footer (errors, hints). */
void tui_status(const char *text);
/* Waits for a key (an ncurses key code, KEY_RESIZE included);
 * TUI_KEY_INTERRUPT when a signal asked the app to stop. */
#define TUI_KEY_INTERRUPT KEY_F(63)
int tui_key(void);
#define TUI_KEY_ESC 27
bool tui_is_enter(int key);
/* Waits up to ms milliseconds; ERR when nothing came. */
int tui_key_timeout(int ms);
/* Leaves curses mode to run a program on the plain terminal, then returns. */
void tui_suspend(void);
void tui_resume(void);

/* --- widgets (tui_list.c, tui_input.c, tui_confirm.c, tui_message.c) --- */

struct tui_row {
	char text[160];
	bool disabled;        /* shown, not selectable (note says why) */
	char note[160];       /* shown under the list for the highlighted row */
};

/* A panel drawn above a list: rows [top, top+height). */
typedef void (*tui_panel_fn)(void *ctx, int top, int height);

struct tui_list_spec {
	const char *title;
	const char *intro;        /* one line above the rows, may be NULL */
	const char *header;       /* column headings, may be NULL */
	const struct tui_row *rows;
	int count;
	int selected;             /* initial highlight */
	tui_panel_fn panel;       /* may be NULL */
	void *panel_ctx;
	int panel_height;
	bool quit_key;            /* q quits (main screen) */
};

/* Returns the chosen row, TUI_BACK or TUI_QUIT. */
int tui_list(const struct tui_list_spec *spec);

/* Edits text (size bytes); returns 0 on Enter, TUI_BACK or TUI_QUIT. */
int tui_input(const char *title, const char *const *lines, const char *prompt, char *text, int size);

/* The same, showing * for each character (passwords). */
int tui_input_secret(const char *title, const char *const *lines, const char *prompt, char *text, int size);

/* Shows what will be destroyed and asks to type expect (or "yes").
 * Returns 0 when confirmed, TUI_BACK or TUI_QUIT. */
int tui_confirm(const char *title, const char *const *lines, const char *expect);

/* Shows lines until Enter/Esc. */
void tui_message(const char *title, const char *const *lines);

/* --- progress (tui_progress.c) --- */

struct tui_work {
	/* Runs in a worker thread; returns 0 or a negative LB_E_* code and
	 * reports through tui_work_progress. cancel becomes 1 on a cancel. */
	int (*run)(void *ctx, struct tui_work *work);
	void *ctx;
	bool uncancellable;       /* short edits that must not stop half-way */
	volatile sig_atomic_t cancel;
	/* filled by the worker through tui_work_progress */
	uint64_t done, total;
	char stage[96];
	void *lock;               /* internal */
};

/* Records progress; safe from any thread. */
void tui_work_progress(struct tui_work *work, const char *stage, uint64_t done, uint64_t total);

/* Runs work while drawing a bar, MB/s, elapsed, ETA and the stage (only the
 * stage and elapsed time while total is 0); c or Esc asks to cancel, and
 * SIGINT cancels, unless work is uncancellable (SIGINT then takes effect
 * once it is done). Returns work's result; *seconds is the time it took. */
int tui_progress(const char *title, struct tui_work *work, double *seconds);

/* "12.3 GB", "512 MB" ... */
void tui_size(uint64_t bytes, char *out, int size);

#endif
