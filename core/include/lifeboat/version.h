/* Lifeboat's version, set by the build. */
#ifndef LIFEBOAT_VERSION_H
#define LIFEBOAT_VERSION_H

const char *lb_version(void);

#endif
