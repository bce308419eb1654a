/* secondfactor.c - see secondfactor.h */
#include "auth/secondfactor.h"

#include <sodium.h>
#include <string.h>

#include "auth/session.h"
#include "auth/token.h"
#include "core/timeutil.h"
#include "core/totp.h"

#define CHALLENGE_COOKIE "kp_code"
/* Recovery codes: 10 characters without look-alikes (no 0/o, 1/l/i), about
 * 49 bits each: one is never guessed within the brake's limits. */
static const char recovery_alphabet[] = "abcdefghjkmnpqrstuvwxyz23456789";
#define RECOVERY_LEN 10

static const char *id_text(arena *a, long long id)
{
    return arena_printf(a, "%lld", id);
}

static const char *now_text(arena *a)
{
    return arena_printf(a, "%lld", (long long)clock_now());
}

int sf_normalise(const char *typed, char *out, size_t outlen)
{
    size_t n = 0;
    for (const char *p = typed ? typed : ""; *p; p++) {
        char ch = *p;
        if (ch == ' ' || ch == '-' || ch == '\t') continue;
        if (ch >= 'A' && ch <= 'Z') ch = (char)(ch - 'A' + 'a');
        if (n + 1 >= outlen) return -1;
        out[n++] = ch;
    }
    out[n] = '\0';
    return 0;
}

int sf_state_of(db_conn *c, arena *a, long long person_id)
{
    db_res *r;
    if (db_q(c, a, &r, "SELECT confirmed_at FROM second_factors WHERE person_id = $1",
             id_text(a, person_id)) < 0)
        return -1;
    if (r->nrows == 0) return SF_NONE;
    return db_val(r, 0, "confirmed_at") ? SF_ON : SF_ENROLLING;
}

const char *sf_ref_challenge(arena *a, long long challenge_id)
{
    return arena_printf(a, "challenge:%lld", challenge_id);
}

const char *sf_ref_session(arena *a, long long session_id)
{
    return arena_printf(a, "sessie:%lld", session_id);
}

typedef struct enrol_arg {
    const secret_key *k;
    long long person_id;
    const char *ref;
    char *base32;
    int confirmed;
} enrol_arg;

/* db_tx: reuse the ref's key, or replace whatever is there by a new one;
 * in one transaction, so two first visits at once agree on one key. */
static int enrol_tx(db_conn *c, arena *a, void *arg)
{
    enrol_arg *e = arg;
    const char *person = id_text(a, e->person_id);
    db_res *r;
    if (db_q(c, a, &r,
             "SELECT secret_sealed, confirmed_at, enrol_ref FROM second_factors WHERE person_id = "
             "$1",
             person) < 0)
        return -1;
    e->confirmed = r->nrows == 1 && db_val(r, 0, "confirmed_at");
    if (e->confirmed) return 0;
    if (r->nrows == 1 && strcmp(db_val(r, 0, "enrol_ref"), e->ref) == 0) {
        /* sealed with a key no longer in use: start over with a new one */
        e->base32 = secret_open(a, e->k, db_val(r, 0, "secret_sealed"));
        if (e->base32) return 0;
    }
    unsigned char secret[TOTP_SECRET_BYTES];
    totp_secret_new(secret);
    e->base32 = totp_base32(a, secret, sizeof secret);
    sodium_memzero(secret, sizeof secret);
    if (db_q(c, a, NULL, "DELETE FROM second_factors WHERE person_id = $1", person) < 0 ||
        db_q(c, a, NULL,
             "INSERT INTO second_factors (person_id, secret_sealed, created_at, enrol_ref)"
             " VALUES ($1, $2, $3, $4)",
             person, secret_seal(a, e->k, e->base32), now_text(a), e->ref) < 0)
        return -1;
    return 0;
}

int sf_enrol_key(db_conn *c, arena *a, const secret_key *k, long long person_id, const char *ref,
                 char **base32)
{
    enrol_arg e = {k, person_id, ref, NULL, 0};
    if (db_tx(c, a, enrol_tx, &e) != 0) return -1;
    if (e.confirmed) return 1;
    *base32 = e.base32;
    return 0;
}

/* The step of a TOTP code of the person's confirmed key (ref NULL) or of
 * the key being enrolled under ref; 0 when it is none, -1 on an error. */
static long long key_step(db_conn *c, arena *a, const secret_key *k, long long person_id,
                          const char *code, const char *ref)
{
    db_res *r;
    int rc = ref ? db_q(c, a, &r,
                        "SELECT secret_sealed, last_step FROM second_factors"
                        " WHERE person_id = $1 AND confirmed_at IS NULL AND enrol_ref = $2",
                        id_text(a, person_id), ref)
                 : db_q(c, a, &r,
                        "SELECT secret_sealed, last_step FROM second_factors"
                        " WHERE person_id = $1 AND confirmed_at IS NOT NULL",
                        id_text(a, person_id));
    if (rc < 0) return -1;
    if (r->nrows != 1) return 0;
    char *b32 = secret_open(a, k, db_val(r, 0, "secret_sealed"));
    unsigned char *secret;
    size_t n;
    if (!b32 || totp_decode(a, b32, &secret, &n) != 0) return 0;
    long long step = totp_match(secret, n, code, clock_now(), db_int(r, 0, "last_step"));
    sodium_memzero(secret, n);
    return step;
}

/* Spends the step: only while no later code was accepted. Confirming a key
 * being enrolled marks it confirmed in the same statement. */
static int spend_step(db_conn *c, arena *a, long long person_id, long long step, const char *ref)
{
    int n = ref ? db_q(c, a, NULL,
                       "UPDATE second_factors SET last_step = $1, confirmed_at = $3, enrol_ref = ''"
                       " WHERE person_id = $2 AND last_step < $1 AND confirmed_at IS NULL"
                       " AND enrol_ref = $4",
                       id_text(a, step), id_text(a, person_id), now_text(a), ref)
                : db_q(c, a, NULL,
                       "UPDATE second_factors SET last_step = $1"
                       " WHERE person_id = $2 AND last_step < $1 AND confirmed_at IS NOT NULL",
                       id_text(a, step), id_text(a, person_id));
    return n < 0 ? -1 : n == 1;
}

int sf_check(db_conn *c, arena *a, const secret_key *k, long long person_id, const char *typed)
{
    char code[32];
    if (sf_normalise(typed, code, sizeof code) != 0) return SF_WRONG;
    if (strlen(code) == TOTP_DIGITS) {
        long long step = key_step(c, a, k, person_id, code, NULL);
        if (step <= 0) return step < 0 ? -1 : SF_WRONG;
        int spent = spend_step(c, a, person_id, step, NULL);
        return spent < 0 ? -1 : spent ? SF_CODE : SF_WRONG;
    }
    if (strlen(code) != RECOVERY_LEN) return SF_WRONG;
    int n = db_q(c, a, NULL,
                 "UPDATE recovery_codes SET used_at = $1 WHERE person_id = $2 AND code_hash = $3"
                 " AND used_at IS NULL AND EXISTS (SELECT 1 FROM second_factors f"
                 " WHERE f.person_id = $2 AND f.confirmed_at IS NOT NULL)",
                 now_text(a), id_text(a, person_id), token_hash(a, code));
    return n < 0 ? -1 : n >= 1 ? SF_RECOVERY : SF_WRONG;
}

int sf_confirm(db_conn *c, arena *a, const secret_key *k, long long person_id, const char *ref,
               const char *typed)
{
    char code[32];
    if (sf_normalise(typed, code, sizeof code) != 0) return SF_WRONG;
    long long step = key_step(c, a, k, person_id, code, ref);
    if (step <= 0) return step < 0 ? -1 : SF_WRONG;
    int spent = spend_step(c, a, person_id, step, ref);
    return spent < 0 ? -1 : spent ? SF_CODE : SF_WRONG;
}

int sf_recovery_new(db_conn *c, arena *a, long long person_id, char *out[SF_RECOVERY_CODES])
{
    const char *person = id_text(a, person_id);
    if (db_q(c, a, NULL, "DELETE FROM recovery_codes WHERE person_id = $1", person) < 0) return -1;
    for (int i = 0; i < SF_RECOVERY_CODES; i++) {
        char code[RECOVERY_LEN + 1];
        for (int j = 0; j < RECOVERY_LEN; j++)
            code[j] = recovery_alphabet[randombytes_uniform(sizeof recovery_alphabet - 1)];
        code[RECOVERY_LEN] = '\0';
        out[i] = arena_printf(a, "%.5s-%s", code, code + 5);
        if (db_q(
                c, a, NULL,
                "INSERT INTO recovery_codes (person_id, code_hash, created_at) VALUES ($1, $2, $3)",
                person, token_hash(a, code), now_text(a)) < 0)
            return -1;
    }
    return 0;
}

long long sf_recovery_left(db_conn *c, arena *a, long long person_id)
{
    db_res *r;
    if (db_q(c, a, &r,
             "SELECT count(*) AS n FROM recovery_codes WHERE person_id = $1 AND used_at IS NULL",
             id_text(a, person_id)) < 0)
        return -1;
    return db_int(r, 0, "n");
}

int sf_remove(db_conn *c, arena *a, long long person_id)
{
    const char *person = id_text(a, person_id);
    if (db_q(c, a, NULL, "DELETE FROM recovery_codes WHERE person_id = $1", person) < 0) return -1;
    return db_q(c, a, NULL, "DELETE FROM second_factors WHERE person_id = $1", person) < 0 ? -1 : 0;
}

int sf_challenge_start(http_req *rq, http_resp *rs, long long person_id, int remember,
                       const char *return_to)
{
    arena *a = rq->a;
    char *token = token_new(a);
    long long now = clock_now();
    /* one challenge per person at a time: an older one is void */
    if (db_q(req_db(rq), a, NULL, "DELETE FROM login_challenges WHERE person_id = $1",
             id_text(a, person_id)) < 0 ||
        db_q(req_db(rq), a, NULL,
             "INSERT INTO login_challenges (token_hash, person_id, remember, return_to,"
             " created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6)",
             token_hash(a, token), id_text(a, person_id), remember ? "1" : "0",
             return_to ? return_to : "", id_text(a, now),
             id_text(a, now + SF_CHALLENGE_SECONDS)) < 0)
        return -1;
    auth_cookie(rq, rs, CHALLENGE_COOKIE, token, SF_CHALLENGE_SECONDS);
    return 0;
}

sf_challenge *sf_challenge_load(http_req *rq, int *failed)
{
    *failed = 0;
    const char *token = auth_cookie_get(rq, CHALLENGE_COOKIE);
    if (!token || strlen(token) != 43) return NULL;
    db_res *r;
    if (db_q(req_db(rq), rq->a, &r,
             "SELECT ch.id, ch.person_id, ch.remember, ch.return_to, ch.expires_at, p.email,"
             " p.is_staff, p.blocked, f.confirmed_at, f.person_id AS has_key"
             " FROM login_challenges ch JOIN persons p ON p.id = ch.person_id"
             " LEFT JOIN second_factors f ON f.person_id = ch.person_id"
             " WHERE ch.token_hash = $1",
             token_hash(rq->a, token)) < 0) {
        *failed = 1;
        return NULL;
    }
    if (r->nrows != 1 || !token_valid_at(db_int(r, 0, "expires_at"), clock_now()) ||
        db_int(r, 0, "blocked") == 1)
        return NULL;
    sf_challenge *ch = arena_zalloc(rq->a, sizeof *ch);
    ch->id = db_int(r, 0, "id");
    ch->person_id = db_int(r, 0, "person_id");
    ch->email = db_val(r, 0, "email");
    ch->remember = db_int(r, 0, "remember") == 1;
    ch->return_to = db_val(r, 0, "return_to");
    ch->is_staff = db_int(r, 0, "is_staff") == 1;
    ch->state = db_val(r, 0, "confirmed_at") ? SF_ON
                : db_val(r, 0, "has_key")    ? SF_ENROLLING
                                             : SF_NONE;
    return ch;
}

int sf_challenge_end(http_req *rq, http_resp *rs, const sf_challenge *ch)
{
    auth_cookie(rq, rs, CHALLENGE_COOKIE, "", 0);
    int n = db_q(req_db(rq), rq->a, NULL, "DELETE FROM login_challenges WHERE id = $1",
                 id_text(rq->a, ch->id));
    return n < 0 ? -1 : n == 1 ? 0 : 1;
}
