/* The restore wizard's state, shared by its steps: choosing (tui_restore.c),
 * options and summary (tui_restore_opts.c), running and the result
 * (tui_restore_run.c). */
#ifndef LIFEBOAT_TUI_RESTORE_H
#define LIFEBOAT_TUI_RESTORE_H

#include <stdbool.h>

#include "lifeboat/image.h"
#include "tui_pick.h"
#include "tui_system.h"

#define RESTORE_TITLE "Restore an image"

struct restore_wizard {
	struct tui_system *sys;
	char image_path[512];
	struct lb_image *img;
	const struct lb_image_info *info;
	struct pick_item target;
	struct lb_restore_opts o;     /* partition (0: all the image holds), verify_first, new_identity, resume */
	struct lb_restore_plan plan;
	/* Windows after the restore */
	bool mir, newsid;
	char computer_name[32];       /* "" keeps it */
	char drivers[256];            /* folder of driver packages, "" for none */
};

/* Whether the part of the image being restored holds an NTFS file system. */
bool restore_has_ntfs(const struct restore_wizard *w);

/* Remembers a cancelled restore: choosing the same image and target again
 * switches on Resume. */
void restore_note_cancel(const struct restore_wizard *w);

/* The options screen; 0 to go on, TUI_BACK or TUI_QUIT. */
int restore_options(struct restore_wizard *w);
/* The summary and typed confirmation; 0 when confirmed. */
int restore_summary(struct restore_wizard *w);
/* Restores with progress, then shows the result screen. */
void restore_run(struct restore_wizard *w);

#endif
