/* privdrop.h - least privilege for `serve`: root may serve only on a
 * loopback address (development, tests); anywhere else it must name a user
 * to switch to (KLANTPORTAL_USER), and switches right after the listening
 * socket is bound. */
#ifndef KP_PRIVDROP_H
#define KP_PRIVDROP_H

#include <stddef.h>

/* Before binding: 0 when the process may go on, -1 (reason in err) when it
 * runs as root on a public address without KLANTPORTAL_USER. */
int priv_check(const char *listen, const char *user, char *err, size_t errlen);
/* After binding: switches to user (groups included) when running as root
 * and user is set. 0 or -1 with a reason. */
int priv_drop(const char *user, char *err, size_t errlen);
/* Is host a loopback address (127.0.0.0/8, ::1, localhost)? */
int priv_is_loopback(const char *host);

#endif
