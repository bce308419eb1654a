/* audit.c - see audit.h */
#include "auth/audit.h"

#include "core/timeutil.h"

int audit_log(db_conn *c, arena *a, long long actor_id, const char *client_ip, const char *action,
              const char *subject, const char *detail)
{
    return db_q(c, a, NULL,
                "INSERT INTO audit_log (at, actor_id, client_ip, action, subject, detail)"
                " VALUES ($1, $2, $3, $4, $5, $6)",
                arena_printf(a, "%lld", (long long)clock_now()),
                actor_id ? arena_printf(a, "%lld", actor_id) : NULL, client_ip ? client_ip : "",
                action, subject ? subject : "", detail ? detail : "") < 0
               ? -1
               : 0;
}
