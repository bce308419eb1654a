/* reauth.c - asking for the current password again before a password or
 * e-mail change: the brake (as at Inloggen), the Argon2id check off the
 * request threads, and the person's history of changes. */
#include "profile/internal.h"

#include "auth/audit.h"
#include "auth/device.h"
#include "auth/ratelimit.h"
#include "auth/session.h"

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

static void pw_job_run(void *arg)
{
    pw_job *j = arg;
    j->ok = password_verify(j->current, j->hash);
    j->rc = j->ok && j->new_pass ? password_hash(j->new_pass, j->new_hash) : 0;
}

const char *profile_locked_message(http_req *rq, int wait)
{
    return arena_printf(rq->a,
                        "Te veel mislukte pogingen met een verkeerd wachtwoord. Probeer het over "
                        "%s opnieuw.",
                        rl_wait_text(rq->a, wait));
}

/* The brake, the same as at Inloggen: the seconds to wait when this device,
 * account or address has guessed too often (the caller answers with
 * MSG_LOCKED), 0 to go on with the attempt taken in *attempt, -1 after a
 * database error (answer sent). The attempt is recorded before the check
 * runs, so guesses sent at once count each other; a browser the person
 * logged in from before is judged on its own failures only. */
int profile_brake(http_req *rq, http_resp *rs, long long *attempt)
{
    const auth_ctx *u = auth_user(rq);
    db_conn *c = req_db(rq);
    long long device = device_for_person(rq, u->person_id);
    int wait = device < 0 ? -1
                          : rl_take(c, rq->a, RL_LOGIN, &(rl_who){u->email, rq->client_ip, device},
                                    attempt);
    if (wait < 0) {
        page_db_error(rq, rs);
    } else if (wait > 0) {
        if (rl_audit_refusal(c, rq->a, "login_geblokkeerd", u->email))
            audit_log(c, rq->a, u->person_id, rq->client_ip, "login_geblokkeerd", u->email,
                      "Mijn gegevens");
        resp_header(rs, rq->a, "Retry-After", num(rq, wait));
    }
    return wait;
}

/* Hands the check to the worker pool (or answers a database error); the
 * handler returns right after either way. */
void profile_start_check(http_req *rq, http_resp *rs, pw_job *j)
{
    db_res *r;
    if (db_q(req_db(rq), rq->a, &r, "SELECT password_hash FROM persons WHERE id = $1",
             num(rq, auth_user(rq)->person_id)) < 0) {
        page_db_error(rq, rs);
        return;
    }
    j->hash = r->nrows == 1 ? db_val(r, 0, "password_hash") : NULL;
    req_defer(rq, pw_job_run, j);
}

/* A wrong current password counts as a failed login: its attempt (taken
 * by brake) is settled as a failure; a right one is forgotten. */
void profile_count_failure(http_req *rq, long long attempt, const char *action)
{
    const auth_ctx *u = auth_user(rq);
    rl_fail(req_db(rq), rq->a, attempt);
    audit_log(req_db(rq), rq->a, u->person_id, rq->client_ip, action, u->email, "");
}
