/* The Drivers screen (the rescue system's own drivers): the devices Linux
 * has no driver for, with the kernel module that would serve each and
 * whether this rescue system carries it; loading a proposed module, or
 * modules by name or from a folder (a stick with .ko files). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app_env.h"
#include "drivers_load.h"
#include "lifeboat/error.h"
#include "lifeboat/report.h"
#include "lifeboat/strbuf.h"
#include "tui.h"
#include "tui_pick.h"
#include "tui_screens.h"

#define TITLE "Drivers"
#define MAX_ROWS 200

struct drivers {
	char moddir[300];
	char sysfs[300];
	struct tui_row rows[MAX_ROWS];
	char modules[MAX_ROWS][64];     /* the module a row loads, "" for none */
	int count;
};

/* One row per device without a driver; the first available module proposed. */
static int list_devices(struct drivers *d)
{
	struct drivers_view v;
	int rc = drivers_view_load(d->moddir, d->sysfs, &v);
	const struct lb_sys_device *devs = v.devs;
	d->count = 0;
	for (size_t i = 0; rc == 0 && i < v.ndevs && d->count < MAX_ROWS - 1; i++) {
		const char **mods;
		size_t n;
		if (devs[i].driver || lb_kmod_aliases_match(v.aliases, devs[i].modalias, &mods, &n) < 0)
			continue;
		struct tui_row *row = &d->rows[d->count];
		memset(row, 0, sizeof *row);
		d->modules[d->count][0] = '\0';
		for (size_t m = 0; m < n && !d->modules[d->count][0]; m++)
			if (lb_kmod_state(v.set, mods[m]) == LB_KMOD_AVAILABLE)
				tui_fmt(d->modules[d->count], sizeof d->modules[0], "%s", mods[m]);
		char id[32] = "";
		if (devs[i].vendor[0])
			tui_fmt(id, sizeof id, "%s:%s", devs[i].vendor, devs[i].device);
		const char *shown = d->modules[d->count][0] ? d->modules[d->count] : n ? mods[0] : "no module known";
		char more[24] = "";
		if (n > 1)
			tui_fmt(more, sizeof more, " (+%zu more)", n - 1);
		tui_fmt(row->text, sizeof row->text, "%-6s %-16.16s %-10s %s%s", devs[i].bus, devs[i].name, id, shown, more);
		row->disabled = !d->modules[d->count][0];
		tui_fmt(row->note, sizeof row->note, "%s: %s", n ? mods[0] : devs[i].modalias,
			n ? drivers_state_text(lb_kmod_state(v.set, mods[0])) : "no kernel module serves it");
		if (!row->disabled)
			tui_fmt(row->note, sizeof row->note, "Enter loads %s (%s)", d->modules[d->count],
				drivers_state_text(LB_KMOD_AVAILABLE));
		d->count++;
		free(mods);
	}
	drivers_view_free(&v);
	struct tui_row *last = &d->rows[d->count];
	memset(last, 0, sizeof *last);
	tui_fmt(last->text, sizeof last->text, "Load modules by name, or from a folder or .ko file...");
	tui_fmt(last->note, sizeof last->note, "For drivers on a stick: the folder with the .ko files.");
	d->modules[d->count++][0] = '\0';
	return rc;
}

static int run(void *ctx, struct tui_work *work)
{
	void **args = ctx;
	const struct drivers *d = args[0];
	const char *target = args[1];
	tui_work_progress(work, "loading and waiting for new devices", 0, 0);
	return drivers_load(d->moddir, d->sysfs, &target, 1, false, args[2]);
}

static void load(struct tui_system *sys, struct drivers *d, const char *target)
{
	struct lb_report_op *op;
	struct lb_report *report = tui_report_start("drivers", &op);
	if (!report) {
		tui_show_error(TITLE, "Loading could not start:");
		return;
	}
	tui_fmt(op->detail, sizeof op->detail, "drivers load %s", target);
	struct lb_strbuf out, text;
	lb_strbuf_init(&out);
	lb_strbuf_init(&text);
	void *args[] = { d, (void *)target, &out };
	struct tui_work work = { .run = run, .ctx = args, .uncancellable = true };
	double seconds;
	int rc = tui_progress(TITLE, &work, &seconds);
	lb_report_op_end(op, rc);
	if (rc == 0)
		lb_strbuf_printf(&text, "Loaded %s:\n\n%s\nNew disks appear on the main screen.\n", target, lb_strbuf_str(&out));
	else
		lb_strbuf_printf(&text, "Loading %s FAILED:\n%s\n\n%s", target, lb_error_message(), lb_strbuf_str(&out));
	tui_take_warnings(&text);
	tui_report_finish(report, rc, sys->logs_dir, &text);
	tui_show_text(rc == 0 ? TITLE ": loaded" : TITLE ": FAILED", lb_strbuf_str(&text));
	lb_strbuf_free(&out);
	lb_strbuf_free(&text);
}

void tui_drivers_screen(struct tui_system *sys)
{
	struct drivers *d = calloc(1, sizeof *d);
	if (!d)
		return;
	const char *moddir = sys->modules_dir;
	char buf[300];
	tui_fmt(d->sysfs, sizeof d->sysfs, "%s/sys", app_sysroot());
	if (drivers_default_moddir(buf, sizeof buf, &moddir) < 0) {
		tui_show_error(TITLE, "The rescue system's kernel modules were not found:");
		free(d);
		return;
	}
	tui_fmt(d->moddir, sizeof d->moddir, "%s", moddir);
	int selected = 0;
	while (!tui_interrupted) {
		if (list_devices(d) < 0) {
			tui_show_error(TITLE, "The devices cannot be listed:");
			break;
		}
		struct tui_list_spec spec = {
			.title = TITLE,
			.intro = d->count > 1 ? "Devices without a driver, and the module proposed for each:"
					      : "Every device has a driver.",
			.header = "  bus    device           id         module",
			.rows = d->rows,
			.count = d->count,
			.selected = selected,
		};
		int choice = tui_list(&spec);
		if (choice < 0)
			break;
		selected = choice;
		char target[400] = "";
		if (d->modules[choice][0])
			tui_fmt(target, sizeof target, "%s", d->modules[choice]);
		else if (tui_input(TITLE, NULL, "Module name, .ko file or folder of .ko files:", target, sizeof target) != 0 ||
			 !target[0])
			continue;
		load(sys, d, target);
	}
	free(d);
}
