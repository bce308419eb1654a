/* privdrop.h - least privilege. Started as root, every command must name an
 * unprivileged user (KLANTPORTAL_USER) and runs as that user for everything
 * but binding the listening socket. Before switching, root hands the user
 * what the program will write, so no file is ever left root-owned.
 *
 * All functions are for start-up, before any thread exists (priv_drop also
 * works with threads: glibc applies set*id to all of them). Errors come back
 * as -1 with one Dutch line in err. */
#ifndef KP_PRIVDROP_H
#define KP_PRIVDROP_H

#include <stddef.h>

/* 0 when the process may go on: not root, or root with a user named.
 * -1 when root and user is NULL or empty. */
int priv_require_user(const char *user, char *err, size_t errlen);

/* As root: makes dir the user's own folder. A missing dir is created 0700
 * (its parent must exist; otherwise nothing is done and the later open says
 * why). An existing empty root-owned dir is handed over and made 0700; one
 * with content is left as it is, because it may be shared with others. Then checks the user can
 * write in it, and fails with the chown to run when not. Not root: returns 0. */
int priv_own_dir(const char *user, const char *dir, char *err, size_t errlen);

/* As root: 0 when the user can read dir (and the folders above it), else
 * -1 with a line that says what to do. Not root: returns 0. */
int priv_user_can_read(const char *user, const char *dir, char *err, size_t errlen);

/* As root: hands an existing regular file with a single link (symlinks
 * are not followed) to the user. With create, a missing file is created empty, 0600, already
 * owned by the user. Not root, or no such file: returns 0. */
int priv_own_file(const char *user, const char *path, int create, char *err, size_t errlen);

/* Switches to user (with its groups) when running as root; verifies root
 * cannot be regained. Not root: returns 0 without doing anything. */
int priv_drop(const char *user, char *err, size_t errlen);

/* 1 when host resolves (getaddrinfo, names included) and every address it
 * resolves to is loopback: 127.0.0.0/8, ::1 or ::ffff:127.0.0.0/104.
 * 0 otherwise, also when it does not resolve. Thread-safe. */
int priv_is_loopback(const char *host);

#endif
