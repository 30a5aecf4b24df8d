/* Small file-system path helpers shared by the job runner and reports. */
#ifndef LIFEBOAT_PATHS_H
#define LIFEBOAT_PATHS_H

/* Creates dir and its missing parents (mode 0755). */
int lb_mkdirs(const char *dir);

#endif
