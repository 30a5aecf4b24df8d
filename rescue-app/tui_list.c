/* The list widget: a scrolling, highlighted list of rows (menus, images,
 * disks), with an optional panel above it and the highlighted row's note
 * below. Rows that cannot be chosen are shown with the reason. */
#include "tui.h"

#include <ctype.h>

static int next_enabled(const struct tui_list_spec *s, int from, int step)
{
	for (int i = from + step; i >= 0 && i < s->count; i += step)
		if (!s->rows[i].disabled)
			return i;
	return from;
}

static void draw_rows(const struct tui_list_spec *s, int sel, int *first)
{
	int row = tui_top();
	if (s->panel) {
		s->panel(s->panel_ctx, row, s->panel_height);
		row += s->panel_height;
	}
	if (s->intro)
		tui_text(row++, s->intro, false);
	if (s->header) {
		attron(A_UNDERLINE);
		tui_text(row++, s->header, false);
		attroff(A_UNDERLINE);
	}
	int visible = tui_bottom() - 1 - row;
	if (visible < 1)
		visible = 1;
	if (sel < *first)
		*first = sel;
	if (sel >= *first + visible)
		*first = sel - visible + 1;
	for (int i = *first; i < s->count && i < *first + visible; i++, row++) {
		const struct tui_row *r = &s->rows[i];
		attr_t attr = i == sel ? A_REVERSE : r->disabled ? A_DIM : A_NORMAL;
		attron(attr);
		mvhline(row, 1, ' ', COLS - 2);
		mvprintw(row, 2, "%c %-.*s", i == sel ? '>' : ' ', COLS - 6, r->text);
		attroff(attr);
	}
	if (s->count > 0 && s->rows[sel].note[0])
		tui_status(s->rows[sel].note);
}

int tui_list(const struct tui_list_spec *s)
{
	int sel = s->selected >= 0 && s->selected < s->count ? s->selected : 0;
	if (s->count > 0 && s->rows[sel].disabled)
		sel = next_enabled(s, sel, 1) == sel ? next_enabled(s, sel, -1) : next_enabled(s, sel, 1);
	int first = 0;
	const char *keys = s->quit_key ? " Up/Down: move   Enter: choose   q: quit"
				       : " Up/Down: move   Enter: choose   Esc: back";
	for (;;) {
		bool ok = tui_frame(s->title, keys);
		if (ok)
			draw_rows(s, sel, &first);
		int k = tui_key();
		if (k == TUI_KEY_INTERRUPT)
			return TUI_QUIT;
		if (k == KEY_RESIZE)
			continue;
		if (!ok) {
			if (k == 'q' || k == TUI_KEY_ESC)
				return s->quit_key ? TUI_QUIT : TUI_BACK;
			continue;
		}
		switch (k) {
		case KEY_UP:
		case 'k':
			sel = next_enabled(s, sel, -1);
			break;
		case KEY_DOWN:
		case 'j':
			sel = next_enabled(s, sel, 1);
			break;
		case KEY_HOME:
			sel = next_enabled(s, -1, 1);
			break;
		case KEY_END:
			sel = next_enabled(s, s->count, -1);
			break;
		case TUI_KEY_ESC:
			if (!s->quit_key)
				return TUI_BACK;
			break;
		case 'q':
			if (s->quit_key)
				return TUI_QUIT;
			break;
		default:
			if (tui_is_enter(k) && s->count > 0 && !s->rows[sel].disabled)
				return sel;
			if (k > 0 && k < 128 && isdigit(k) && k - '1' < s->count && k != '0' &&
			    !s->rows[k - '1'].disabled)
				sel = k - '1';
		}
	}
}
