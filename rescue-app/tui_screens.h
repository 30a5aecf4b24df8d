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
void tui_restore_screen(struct tui_system *sys);
void tui_capture_screen(struct tui_system *sys);
void tui_verify_screen(struct tui_system *sys);
void tui_windows_screen(struct tui_system *sys);
void tui_drivers_screen(struct tui_system *sys);

#endif
