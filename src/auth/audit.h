/* audit.h - the audit log: who did what, when, from where, with what
 * outcome. Written on the caller's connection, inside its transaction when
 * there is one. Never pass a password or a token. */
#ifndef KP_AUDIT_H
#define KP_AUDIT_H

#include "core/arena.h"
#include "db/db.h"

/* actor_id 0: unknown (a failed login for an unknown name). Returns 0/-1. */
int audit_log(db_conn *c, arena *a, long long actor_id, const char *client_ip, const char *action,
              const char *subject, const char *detail);

#endif
