/* The input widget: explanatory lines, a prompt and a one-line text field
 * (printable ASCII, Backspace, Enter to accept, Esc to go back). */
#include "tui.h"

#include <stdio.h>
#include <string.h>

/* Draws lines from row on; returns the row after them. */
static int draw_lines(int row, const char *const *lines)
{
	for (; lines && *lines && row < tui_bottom(); lines++)
		tui_text(row++, *lines, false);
	return row;
}

/* Runs a text field; shared by the input and confirmation widgets. */
static int edit(const char *title, const char *const *lines, const char *prompt, char *text, int size,
		bool strong, bool secret)
{
	int len = (int)strlen(text);
	for (;;) {
		bool ok = tui_frame(title, " Type, then Enter: accept   Esc: back");
		if (ok) {
			int row = draw_lines(tui_top(), lines) + 1;
			tui_text(row, prompt, strong);
			mvprintw(row + 1, 2, "> ");
			for (int i = 0; i < len && i < COLS - 8; i++)
				addch(secret ? '*' : (chtype)(unsigned char)text[i]);
			curs_set(1);
		}
		int k = tui_key();
		curs_set(0);
		if (k == TUI_KEY_INTERRUPT)
			return TUI_QUIT;
		if (k == KEY_RESIZE)
			continue;
		if (k == TUI_KEY_ESC || (!ok && k == 'q'))
			return TUI_BACK;
		if (!ok)
			continue;
		if (tui_is_enter(k))
			return 0;
		if ((k == KEY_BACKSPACE || k == 127 || k == 8) && len > 0)
			text[--len] = '\0';
		else if (k >= 32 && k < 127 && len < size - 1) {
			text[len++] = (char)k;
			text[len] = '\0';
		}
	}
}

int tui_input(const char *title, const char *const *lines, const char *prompt, char *text, int size)
{
	return edit(title, lines, prompt, text, size, false, false);
}

int tui_input_secret(const char *title, const char *const *lines, const char *prompt, char *text, int size)
{
	return edit(title, lines, prompt, text, size, false, true);
}

int tui_confirm(const char *title, const char *const *lines, const char *expect)
{
	char prompt[256], typed[128] = "";
	snprintf(prompt, sizeof prompt, "Type %s (or yes) and Enter to go ahead; Esc goes back.", expect);
	for (;;) {
		int rc = edit(title, lines, prompt, typed, sizeof typed, true, false);
		if (rc != 0)
			return rc;
		if (strcmp(typed, expect) == 0 || strcmp(typed, "yes") == 0)
			return 0;
		typed[0] = '\0';
		snprintf(prompt, sizeof prompt, "That was not %s or yes. Type it exactly, or Esc to go back.", expect);
	}
}

void tui_message(const char *title, const char *const *lines)
{
	for (;;) {
		if (tui_frame(title, " Enter: continue"))
			draw_lines(tui_top(), lines);
		int k = tui_key();
		if (k == TUI_KEY_INTERRUPT || tui_is_enter(k) || k == TUI_KEY_ESC || (!tui_big_enough() && k == 'q'))
			return;
	}
}
