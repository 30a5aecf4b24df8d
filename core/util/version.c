/* The version string every front end and image header reports. */
#include "lifeboat/version.h"

const char *lb_version(void)
{
	return LIFEBOAT_VERSION;
}
