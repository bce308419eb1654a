/* quota.c - see quota.h */
#include "mail/quota.h"

#include <string.h>

#include "core/timeutil.h"

#define HOUR 3600LL
#define DAY (24 * HOUR)

/* Rows matching `where` ($1 = the id, $2 = the start of the window), or -1. */
static long long count_since(db_conn *c, arena *a, const char *where, long long id, long long since)
{
    db_res *r;
    if (db_q(c, a, &r, arena_printf(a, "SELECT count(*) AS n FROM mail_quota WHERE %s", where),
             arena_printf(a, "%lld", id), arena_printf(a, "%lld", since)) < 0)
        return -1;
    return db_int(r, 0, "n");
}

int mail_quota_take(db_conn *c, arena *a, long long org_id, long long person_id, const char *kind)
{
    long long now = (long long)clock_now();
    long long org = count_since(c, a, "organisation_id = $1 AND at > $2", org_id, now - HOUR);
    long long person = count_since(c, a, "person_id = $1 AND at > $2", person_id, now - HOUR);
    long long invites = strcmp(kind, MQ_INVITE) == 0
                            ? count_since(c, a,
                                          "organisation_id = $1 AND at > $2"
                                          " AND kind = '" MQ_INVITE "'",
                                          org_id, now - DAY)
                            : 0;
    if (org < 0 || person < 0 || invites < 0) return -1;
    if (org >= MAIL_QUOTA_ORG_PER_HOUR || person >= MAIL_QUOTA_PERSON_PER_HOUR ||
        invites >= MAIL_QUOTA_INVITES_PER_DAY)
        return 0;
    /* rows older than the longest window count for nothing any more */
    if (db_q(c, a, NULL, "DELETE FROM mail_quota WHERE organisation_id = $1 AND at <= $2",
             arena_printf(a, "%lld", org_id), arena_printf(a, "%lld", now - DAY)) < 0)
        return -1;
    return db_q(c, a, NULL,
                "INSERT INTO mail_quota (organisation_id, person_id, kind, at)"
                " VALUES ($1, $2, $3, $4)",
                arena_printf(a, "%lld", org_id), arena_printf(a, "%lld", person_id), kind,
                arena_printf(a, "%lld", now)) == 1
               ? 1
               : -1;
}
