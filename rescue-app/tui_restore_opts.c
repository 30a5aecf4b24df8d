/* The restore wizard's options (verify first, resume, new disk identity,
 * grow the last partition;
 * then on the restored Windows: M.I.R., computer name, new SID, drivers from
 * a folder) and its summary, which names exactly what will be overwritten
 * and asks for the target's name or "yes". */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "lifeboat/disk.h"
#include "lifeboat/error.h"
#include "lifeboat/winoffline.h"
#include "tui.h"
#include "tui_restore.h"

enum option {
	OPT_VERIFY, OPT_RESUME, OPT_IDENTITY, OPT_GROW, OPT_MIR, OPT_NAME, OPT_SID, OPT_DRIVERS, OPT_CONTINUE, OPT_COUNT,
};

static void toggle_row(struct tui_row *row, bool on, const char *text, const char *note)
{
	tui_fmt(row->text, sizeof row->text, "[%c] %s", on ? 'x' : ' ', text);
	tui_fmt(row->note, sizeof row->note, "%s", note);
}

static void build_rows(const struct restore_wizard *w, struct tui_row *rows)
{
	memset(rows, 0, OPT_COUNT * sizeof *rows);
	toggle_row(&rows[OPT_VERIFY], w->o.verify_first, "Verify the image before writing",
		   "Reads and checks the whole image first; a damaged image then writes nothing.");
	toggle_row(&rows[OPT_RESUME], w->o.resume, "Resume: write only what differs on the target",
		   "Carries on an interrupted restore of the same image onto the same target.");
	toggle_row(&rows[OPT_IDENTITY], w->o.new_identity, "New disk identity (GPT GUIDs / MBR signature)",
		   "For a second copy of the disk in the same machine or network.");
	toggle_row(&rows[OPT_GROW], w->o.grow_last, "Grow the last partition to the end of the disk",
		   "For a larger disk: its ext4 or NTFS grows with it.");
	if (w->o.partition || w->info->kind != LB_IMAGE_DISK)
		for (int i = OPT_IDENTITY; i <= OPT_GROW; i++) {
			rows[i].disabled = true;
			tui_fmt(rows[i].note, sizeof rows[i].note, "Only for a whole-disk restore.");
		}
	toggle_row(&rows[OPT_MIR], w->mir, "Windows: M.I.R. (adapt to this machine's hardware)",
		   "Storage drivers for this machine, stale filters removed; uses the driver folder too.");
	tui_fmt(rows[OPT_NAME].text, sizeof rows[OPT_NAME].text, "    Windows: new computer name: %s",
		w->computer_name[0] ? w->computer_name : "(keep)");
	tui_fmt(rows[OPT_NAME].note, sizeof rows[OPT_NAME].note, "Enter to type a name; empty keeps the old one.");
	toggle_row(&rows[OPT_SID], w->newsid, "Windows: new machine SID", "A new random SID, changed everywhere.");
	tui_fmt(rows[OPT_DRIVERS].text, sizeof rows[OPT_DRIVERS].text, "    Windows: inject drivers from: %s",
		w->drivers[0] ? w->drivers : "(none)");
	tui_fmt(rows[OPT_DRIVERS].note, sizeof rows[OPT_DRIVERS].note,
		"A folder of driver packages (.inf); empty for none.");
	if (!restore_has_ntfs(w))
		for (int i = OPT_MIR; i <= OPT_DRIVERS; i++) {
			rows[i].disabled = true;
			tui_fmt(rows[i].note, sizeof rows[i].note, "What is restored holds no NTFS (Windows) file system.");
		}
	tui_fmt(rows[OPT_CONTINUE].text, sizeof rows[OPT_CONTINUE].text, "Continue to the summary");
}

static int ask_name(struct restore_wizard *w)
{
	char name[sizeof w->computer_name];
	tui_fmt(name, sizeof name, "%s", w->computer_name);
	char error[200] = "";
	for (;;) {
		const char *const lines[] = { "1 to 15 letters, digits or '-'; empty keeps the old name.", "", error, NULL };
		int rc = tui_input(RESTORE_TITLE ": computer name", lines, "New computer name:", name, sizeof name);
		if (rc < 0)
			return rc;
		if (!name[0] || lb_win_check_computer_name(name) == 0)
			break;
		tui_fmt(error, sizeof error, "Not a valid name: %s", lb_error_message());
	}
	tui_fmt(w->computer_name, sizeof w->computer_name, "%s", name);
	return 0;
}

static int ask_drivers(struct restore_wizard *w)
{
	char dir[sizeof w->drivers];
	tui_fmt(dir, sizeof dir, "%s", w->drivers);
	char error[300] = "";
	for (;;) {
		const char *const lines[] = { "A folder holding driver packages (folders with .inf files).", "", error, NULL };
		int rc = tui_input(RESTORE_TITLE ": drivers", lines, "Driver folder:", dir, sizeof dir);
		if (rc < 0)
			return rc;
		struct stat st;
		if (!dir[0] || (stat(dir, &st) == 0 && S_ISDIR(st.st_mode)))
			break;
		tui_fmt(error, sizeof error, "%s is not a folder.", dir);
	}
	tui_fmt(w->drivers, sizeof w->drivers, "%s", dir);
	return 0;
}

int restore_options(struct restore_wizard *w)
{
	struct tui_row rows[OPT_COUNT];
	int selected = OPT_CONTINUE;
	for (;;) {
		build_rows(w, rows);
		struct tui_list_spec spec = {
			.title = RESTORE_TITLE ": 4. options",
			.intro = "Enter switches an option; then Continue.",
			.rows = rows,
			.count = OPT_COUNT,
			.selected = selected,
		};
		int choice = tui_list(&spec);
		if (choice < 0)
			return choice;
		selected = choice;
		int rc = 0;
		switch (choice) {
		case OPT_VERIFY: w->o.verify_first = !w->o.verify_first; break;
		case OPT_RESUME: w->o.resume = !w->o.resume; break;
		case OPT_IDENTITY: w->o.new_identity = !w->o.new_identity; break;
		case OPT_GROW: w->o.grow_last = !w->o.grow_last; break;
		case OPT_MIR: w->mir = !w->mir; break;
		case OPT_SID: w->newsid = !w->newsid; break;
		case OPT_NAME: rc = ask_name(w); break;
		case OPT_DRIVERS: rc = ask_drivers(w); break;
		default: return 0;
		}
		if (rc == TUI_QUIT)
			return rc;
	}
}

/* "Options: verify first, resume" / "Then on Windows: ..." */
static void options_text(const struct restore_wizard *w, char *opts, size_t osize, char *win, size_t wsize)
{
	tui_fmt(opts, osize, "  options: %s%s%s%s", w->o.verify_first ? "verify the image first" : "no verification first",
		w->o.resume ? ", resume (write only what differs)" : "", w->o.new_identity ? ", new disk identity" : "",
		w->o.grow_last ? ", grow the last partition" : "");
	win[0] = '\0';
	if (!w->mir && !w->newsid && !w->computer_name[0] && !w->drivers[0])
		return;
	tui_fmt(win, wsize, "  then on Windows: %s%s%s%s%s%s", w->mir ? "M.I.R. " : "",
		w->computer_name[0] ? "name " : "", w->computer_name, w->newsid ? " new SID" : "",
		w->drivers[0] ? " drivers from " : "", w->drivers);
}

int restore_summary(struct restore_wizard *w)
{
	struct lb_dev *dev;
	int rc = lb_dev_open_spec(w->target.spec, LB_DEV_READ, &dev);
	if (rc == 0) {
		rc = lb_restore_check(w->img, dev, &w->o, &w->plan);
		lb_dev_close(dev);
	}
	if (rc < 0) {
		tui_show_error(RESTORE_TITLE, "This restore cannot be done:");
		return TUI_BACK;
	}
	char what[200], line1[400], line2[500], made[200], data[32], size[32], date[32], opts[200], win[400];
	tui_fmt(line1, sizeof line1, "  %s", w->target.label);
	tui_fmt(line2, sizeof line2, "  which now holds: %s", w->target.content);
	const char *file = strrchr(w->image_path, '/') ? strrchr(w->image_path, '/') + 1 : w->image_path;
	tui_size(w->plan.write_bytes, data, sizeof data);
	tui_size(w->info->source_size, size, sizeof size);
	time_t created = (time_t)w->info->created;
	strftime(date, sizeof date, "%Y-%m-%d %H:%M", localtime(&created));
	if (w->o.partition)
		tui_fmt(what, sizeof what, "  restoring: partition %u of %s, %s of data", w->o.partition, file, data);
	else
		tui_fmt(what, sizeof what, "  restoring: %s, %s of data", file, data);
	tui_fmt(made, sizeof made, "  image of a %s %s made %s", size,
		w->info->kind == LB_IMAGE_DISK ? "disk" : "file system", date);
	options_text(w, opts, sizeof opts, win, sizeof win);
	const char *const lines[] = {
		"EVERYTHING on this target will be overwritten:",
		line1,
		line2,
		"",
		what,
		made,
		w->plan.move_gpt_backup ? "  the backup GPT moves to the end of the target" : "",
		opts,
		win,
		NULL,
	};
	return tui_confirm(RESTORE_TITLE ": 5. summary", lines, w->target.name);
}
