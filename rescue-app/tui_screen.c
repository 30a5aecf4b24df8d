/* The TUI's screen: opening and closing the terminal, putting it back on
 * SIGINT/SIGTERM/SIGHUP and on a crash, the frame every screen shares
 * (header, title, status line, key help), and the too-small message. */
#include "tui.h"

#include <locale.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lifeboat/version.h"

volatile sig_atomic_t tui_interrupted;
static volatile sig_atomic_t curses_active;

static void on_stop_signal(int sig)
{
	(void)sig;
	tui_interrupted = 1;
}

/* A crash: give the terminal back, then die of the same signal. */
static void on_crash_signal(int sig)
{
	if (curses_active) {
		curses_active = 0;
		endwin();
	}
	signal(sig, SIG_DFL);
	raise(sig);
}

static void install_handlers(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_stop_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sa.sa_handler = on_crash_signal;
	sa.sa_flags = SA_RESETHAND;
	const int crashes[] = { SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT };
	for (size_t i = 0; i < sizeof crashes / sizeof crashes[0]; i++)
		sigaction(crashes[i], &sa, NULL);
}

int tui_start(void)
{
	setlocale(LC_ALL, "");
	if (!newterm(NULL, stdout, stdin)) {
		const char *term = getenv("TERM");
		fprintf(stderr, "lifeboat: cannot use the terminal (TERM=%s)\n", term ? term : "");
		return -1;
	}
	curses_active = 1;
	install_handlers();
	cbreak();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	set_escdelay(50);
	curs_set(0);
	return 0;
}

void tui_stop(void)
{
	if (!curses_active)
		return;
	curses_active = 0;
	curs_set(1);
	endwin();
}

void tui_suspend(void)
{
	def_prog_mode();
	endwin();
}

void tui_resume(void)
{
	reset_prog_mode();
	clear();
	refresh();
}

bool tui_big_enough(void)
{
	return COLS >= TUI_MIN_COLS && LINES >= TUI_MIN_LINES;
}

int tui_top(void)
{
	return 3;
}

int tui_bottom(void)
{
	return LINES - 3;
}

static void put_line(int row, int col, const char *text, int width)
{
	if (row < 0 || row >= LINES || width <= 0)
		return;
	mvaddnstr(row, col, text, width);
}

void tui_text(int row, const char *text, bool strong)
{
	if (strong)
		attron(A_BOLD);
	put_line(row, 2, text, COLS - 4);
	if (strong)
		attroff(A_BOLD);
}

void tui_textf(int row, bool strong, const char *fmt, ...)
{
	char text[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(text, sizeof text, fmt, ap);
	va_end(ap);
	tui_text(row, text, strong);
}

void tui_status(const char *text)
{
	move(LINES - 2, 0);
	clrtoeol();
	attron(A_BOLD);
	put_line(LINES - 2, 2, text, COLS - 4);
	attroff(A_BOLD);
}

static void draw_too_small(void)
{
	char line[128];
	snprintf(line, sizeof line, "Terminal is %dx%d;", COLS, LINES);
	put_line(0, 0, line, COLS);
	snprintf(line, sizeof line, "Lifeboat needs %dx%d.", TUI_MIN_COLS, TUI_MIN_LINES);
	put_line(1, 0, line, COLS);
	put_line(2, 0, "Enlarge it, or q to quit.", COLS);
}

bool tui_frame(const char *title, const char *keys)
{
	erase();
	if (!tui_big_enough()) {
		draw_too_small();
		return false;
	}
	char header[256];
	snprintf(header, sizeof header, " Lifeboat %s - offline PC rescue", lb_version());
	attron(A_REVERSE);
	mvhline(0, 0, ' ', COLS);
	put_line(0, 0, header, COLS);
	attroff(A_REVERSE);
	attron(A_BOLD);
	put_line(1, 2, title, COLS - 4);
	attroff(A_BOLD);
	mvhline(2, 0, '-', COLS);
	mvhline(LINES - 3, 0, '-', COLS);
	attron(A_REVERSE);
	mvhline(LINES - 1, 0, ' ', COLS);
	put_line(LINES - 1, 1, keys, COLS - 2);
	attroff(A_REVERSE);
	return true;
}

int tui_key_timeout(int ms)
{
	refresh();
	timeout(ms);
	int k = getch();
	if (tui_interrupted)
		return TUI_KEY_INTERRUPT;
	return k;
}

int tui_key(void)
{
	for (;;) {
		int k = tui_key_timeout(250);
		if (k != ERR)
			return k;
	}
}

bool tui_is_enter(int key)
{
	return key == '\n' || key == '\r' || key == KEY_ENTER;
}
