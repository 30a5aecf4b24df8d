/* The TUI's screens and wizards, one file each, all driven from the main
 * screen (tui_main.c). */
#ifndef LIFEBOAT_TUI_SCREENS_H
#define LIFEBOAT_TUI_SCREENS_H

#include "tui_system.h"

/* The main screen's loop; returns when the user quits. */
int tui_main_screen(struct tui_system *sys);

void tui_shell_screen(void);
void tui_network_screen(struct tui_system *sys);
void tui_power_screen(void);
/* Tells that a menu entry's engine is not part of this build. */
void tui_not_available(const char *title, const char *engine);

#endif
