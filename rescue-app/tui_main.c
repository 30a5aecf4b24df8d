/* The main screen: the machine's disks and the images found at a glance,
 * and the menu of everything Lifeboat does. */
#include <stdio.h>
#include <string.h>

#include "tui.h"
#include "tui_screens.h"

enum main_entry {
	ENTRY_RESTORE, ENTRY_CAPTURE, ENTRY_VERIFY, ENTRY_WINDOWS, ENTRY_DRIVERS,
	ENTRY_NETWORK, ENTRY_SHELL, ENTRY_POWER, ENTRY_COUNT,
};

static const char *const entry_labels[ENTRY_COUNT] = {
	"Restore an image",
	"Capture an image",
	"Verify an image",
	"Windows tools (M.I.R., computer name, SID, drivers, HAL, undo)",
	"Drivers (missing drivers, load from stick)",
	"Network (DHCP/static, SMB/NFS share, HTTP URL)",
	"Shell",
	"Reboot / Power off",
};

static void draw_overview(void *ctx, int top, int height)
{
	const struct tui_system *sys = ctx;
	int row = top, end = top + height - 1;
	tui_text(row++, "Disks:", true);
	if (sys->disk_count == 0 && row < end)
		tui_text(row++, "  (no disks found)", false);
	for (int i = 0; i < sys->disk_count && row < end; i++) {
		const struct sys_disk *d = &sys->disks[i];
		char label[160];
		sys_disk_label(d, label, sizeof label);
		tui_textf(row++, false, "  %-28s %s", label, d->protect[0] ? d->protect : d->content);
	}
	if (row < end)
		tui_textf(row++, true, "Images: %d found", sys->image_count);
	for (int i = 0; i < sys->image_count && row < end; i++) {
		char size[32], date[32];
		tui_size(sys->images[i].size, size, sizeof size);
		strftime(date, sizeof date, "%Y-%m-%d %H:%M", localtime(&sys->images[i].mtime));
		tui_textf(row++, false, "  %-40s %10s  %s", sys->images[i].name, size, date);
	}
}

static int overview_height(const struct tui_system *sys)
{
	int want = 3 + (sys->disk_count ? sys->disk_count : 1) + sys->image_count;
	int room = tui_bottom() - tui_top() - ENTRY_COUNT - 1;
	return want < room ? want : room;
}

static void run_entry(struct tui_system *sys, int entry)
{
	switch (entry) {
	case ENTRY_RESTORE:
		tui_restore_screen(sys);
		break;
	case ENTRY_CAPTURE:
		tui_capture_screen(sys);
		break;
	case ENTRY_VERIFY:
		tui_verify_screen(sys);
		break;
	case ENTRY_WINDOWS:
		tui_windows_screen(sys);
		break;
	case ENTRY_DRIVERS:
		tui_drivers_screen(sys);
		break;
	case ENTRY_NETWORK:
		tui_network_screen(sys);
		break;
	case ENTRY_SHELL:
		tui_shell_screen();
		break;
	case ENTRY_POWER:
		tui_power_screen();
		break;
	}
	tui_system_scan(sys);
}

int tui_main_screen(struct tui_system *sys)
{
	struct tui_row rows[ENTRY_COUNT];
	memset(rows, 0, sizeof rows);
	for (int i = 0; i < ENTRY_COUNT; i++)
		snprintf(rows[i].text, sizeof rows[i].text, "%d  %s", i + 1, entry_labels[i]);
	int selected = 0;
	for (;;) {
		struct tui_list_spec spec = {
			.title = "Main menu",
			.rows = rows,
			.count = ENTRY_COUNT,
			.selected = selected,
			.panel = draw_overview,
			.panel_ctx = sys,
			.panel_height = overview_height(sys),
			.quit_key = true,
		};
		int choice = tui_list(&spec);
		if (choice == TUI_QUIT)
			return 0;
		if (choice < 0)
			continue;
		selected = choice;
		run_entry(sys, choice);
		if (tui_interrupted)
			return 0;
	}
}
