/* The Windows tools: choose a Windows installation found on the disks, see
 * what it is (version, computer name, SID), then M.I.R., computer name, new
 * SID, driver injection, HAL, a first-boot script or undo of the last
 * change, each confirmed by typing, run with progress, reported. */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "lifeboat/error.h"
#include "lifeboat/report.h"
#include "lifeboat/strbuf.h"
#include "lifeboat/winoffline.h"
#include "tui.h"
#include "tui_pick.h"
#include "tui_screens.h"
#include "win_ops.h"

#define TITLE "Windows tools"

enum action { ACT_MIR, ACT_RENAME, ACT_NEWSID, ACT_INJECT, ACT_HAL, ACT_SETUP, ACT_UNDO, ACT_INFO, ACT_COUNT };

static const struct {
	const char *what;    /* report name */
	const char *label;
	const char *note;
} actions[ACT_COUNT] = {
	{ "mir", "M.I.R.: adapt to this machine's hardware", "Storage drivers for this machine, stale filters off." },
	{ "rename", "Change the computer name", "Sets the NetBIOS and DNS host name in every control set." },
	{ "newsid", "New machine SID", "A new random SID in the hives, profiles and NTFS permissions." },
	{ "inject", "Inject drivers from a folder", "Driver packages (.inf) installed into the offline Windows." },
	{ "hal", "Replace HAL / kernel boot settings", "For moving an old Windows between PC types." },
	{ "setup", "Run a script at the next boot (setup re-arm)", "The script runs once, as SYSTEM, before logon." },
	{ "undo", "Undo the last change", "Puts back what the last Lifeboat change on it replaced." },
	{ "info", "Show everything known about it", "Version, edition, name, SID, domain, hives." },
};

struct win_task {
	enum action act;
	const char *target;
	char arg[400];          /* name, folder or script */
	struct lb_strbuf out;
};

static int run(void *ctx, struct tui_work *work)
{
	struct win_task *t = ctx;
	tui_work_progress(work, actions[t->act].label, 0, 0);
	const char *dirs[] = { t->arg };
	switch (t->act) {
	case ACT_MIR: return win_op_mir(t->target, dirs, t->arg[0] ? 1 : 0, NULL, &t->out);
	case ACT_RENAME: return win_op_rename(t->target, t->arg, false, &t->out);
	case ACT_NEWSID: return win_op_newsid(t->target, NULL, false, &t->out);
	case ACT_INJECT: return win_op_inject(t->target, dirs, 1, &t->out);
	case ACT_HAL: return win_op_hal(t->target, &t->out);
	case ACT_SETUP: return win_op_setup(t->target, t->arg, &t->out);
	default: return win_op_undo(t->target, &t->out);
	}
}

/* Asks for the action's argument; 0, TUI_BACK or TUI_QUIT. */
static int ask_arg(struct win_task *t)
{
	const char *prompt = t->act == ACT_RENAME ? "New computer name:"
			     : t->act == ACT_SETUP ? "Script to run (a .cmd file):"
			     : t->act == ACT_MIR   ? "Folder with extra drivers (optional):"
						   : "Folder with the driver packages:";
	char error[500] = "";
	for (;;) {
		const char *const lines[] = { actions[t->act].note, "", error, NULL };
		int rc = tui_input(TITLE, lines, prompt, t->arg, sizeof t->arg);
		if (rc < 0)
			return rc;
		struct stat st;
		bool exists = stat(t->arg, &st) == 0;
		if (t->act == ACT_RENAME && lb_win_check_computer_name(t->arg) < 0)
			tui_fmt(error, sizeof error, "Not a valid name: %s", lb_error_message());
		else if (t->act == ACT_SETUP && (!exists || !S_ISREG(st.st_mode)))
			tui_fmt(error, sizeof error, "%s is not a file.", t->arg);
		else if ((t->act == ACT_INJECT || (t->act == ACT_MIR && t->arg[0])) && (!exists || !S_ISDIR(st.st_mode)))
			tui_fmt(error, sizeof error, "%s is not a folder.", t->arg);
		else
			return 0;
	}
}

static void do_action(struct tui_system *sys, const struct pick_item *win, enum action act)
{
	struct win_task t = { .act = act, .target = win->spec };
	lb_strbuf_init(&t.out);
	if (act == ACT_INFO) {
		struct lb_strbuf json;
		lb_strbuf_init(&json);
		if (win_op_info(win->spec, &json) == 0) {
			win_info_text(lb_strbuf_str(&json), &t.out);
			tui_show_text(TITLE ": details", lb_strbuf_str(&t.out));
		} else {
			tui_show_error(TITLE, "The installation cannot be read:");
		}
		lb_strbuf_free(&json);
		lb_strbuf_free(&t.out);
		return;
	}
	if ((act == ACT_MIR || act == ACT_RENAME || act == ACT_INJECT || act == ACT_SETUP) && ask_arg(&t) != 0)
		return;
	char what[600], where[500];
	tui_fmt(what, sizeof what, "%s%s%s", actions[act].label, t.arg[0] ? ": " : "", t.arg);
	tui_fmt(where, sizeof where, "on the Windows of %s (%s)", win->label, win->content);
	const char *const lines[] = { "This changes the offline Windows:", what, where,
				      act == ACT_UNDO ? "" : "(Undo the last change puts it back.)", NULL };
	if (tui_confirm(TITLE, lines, win->name) != 0)
		return;
	struct lb_report_op *op;
	struct lb_report *report = tui_report_start(actions[act].what, &op);
	if (!report) {
		tui_show_error(TITLE, "The change could not start:");
		return;
	}
	tui_fmt(op->target, sizeof op->target, "%s", win->spec);
	tui_fmt(op->detail, sizeof op->detail, "%s target=%s%s%s", actions[act].what, win->spec, t.arg[0] ? " " : "", t.arg);
	struct tui_work work = { .run = run, .ctx = &t, .uncancellable = true };
	double seconds;
	int rc = tui_progress(TITLE, &work, &seconds);
	lb_report_op_end(op, rc);
	struct lb_strbuf text;
	lb_strbuf_init(&text);
	if (rc == 0)
		lb_strbuf_printf(&text, "Done: %s\n\n%s", what, lb_strbuf_str(&t.out));
	else
		lb_strbuf_printf(&text, "FAILED: %s\n%s\n\n%s\nNothing was changed by the failed step.\n", what,
				 lb_error_message(), lb_strbuf_str(&t.out));
	tui_take_warnings(&text);
	tui_report_finish(report, rc, sys->logs_dir, &text);
	tui_show_text(rc == 0 ? TITLE ": done" : TITLE ": FAILED", lb_strbuf_str(&text));
	lb_strbuf_free(&text);
	lb_strbuf_free(&t.out);
}

static void draw_target(void *ctx, int top, int height)
{
	const struct pick_item *win = ctx;
	if (height > 0)
		tui_textf(top, true, "Windows on %s", win->label);
	if (height > 1)
		tui_textf(top + 1, false, "  %s", win->content);
}

void tui_windows_screen(struct tui_system *sys)
{
	struct pick_item win;
	while (!tui_interrupted &&
	       tui_pick_device(sys, TITLE, "Choose the Windows installation:", PICK_WINDOWS, false, NULL, &win) == 0) {
		struct tui_row rows[ACT_COUNT];
		memset(rows, 0, sizeof rows);
		for (int i = 0; i < ACT_COUNT; i++) {
			tui_fmt(rows[i].text, sizeof rows[i].text, "%d  %s", i + 1, actions[i].label);
			tui_fmt(rows[i].note, sizeof rows[i].note, "%s", actions[i].note);
		}
		int selected = 0;
		for (;;) {
			struct tui_list_spec spec = { .title = TITLE, .rows = rows, .count = ACT_COUNT, .selected = selected,
						      .panel = draw_target, .panel_ctx = &win, .panel_height = 3 };
			int choice = tui_list(&spec);
			if (choice == TUI_QUIT)
				return;
			if (choice < 0)
				break;
			selected = choice;
			do_action(sys, &win, (enum action)choice);
		}
	}
}
