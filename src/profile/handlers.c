/* handlers.c - Mijn gegevens / Persoonlijke gegevens: the routes of its
 * three pages (data.c, email.c, password.c) and what they share. */
#include "profile/internal.h"
#include "profile/profile.h"

#include "auth/ratelimit.h"

/* One person_history row: the person changed their own data. */
int profile_record_history(http_req *rq, db_conn *c, long long person, const char *field,
                           const char *old_value, const char *new_value)
{
    const char *id = num(rq, person);
    return db_q(c, rq->a, NULL,
                "INSERT INTO person_history (person_id, changed_at, changed_by, field, old_value,"
                " new_value) VALUES ($1, $2, $1, $3, $4, $5)",
                id, now_str(rq), field, old_value ? old_value : "", new_value ? new_value : "") < 0
               ? -1
               : 0;
}

const char *profile_locked_message(http_req *rq, int wait)
{
    return arena_printf(rq->a,
                        "Te veel mislukte pogingen met een verkeerd wachtwoord. Probeer het over "
                        "%s opnieuw.",
                        rl_wait_text(rq->a, wait));
}

void profile_routes(router *r)
{
    profile_data_routes(r);
    profile_email_routes(r);
    profile_password_routes(r);
}
