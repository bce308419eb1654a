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

int sf_enrol_key(db_conn *c, arena *a, const secret_key *k, long long person_id, char **base32)
{
    db_res *r;
    if (db_q(c, a, &r,
             "SELECT secret_sealed, confirmed_at FROM second_factors WHERE person_id = $1",
             id_text(a, person_id)) < 0)
        return -1;
    if (r->nrows == 1 && db_val(r, 0, "confirmed_at")) return 1;
    if (r->nrows == 1) {
        char *plain = secret_open(a, k, db_val(r, 0, "secret_sealed"));
        /* sealed with a key no longer in use: start over with a new one */
        if (plain) {
            *base32 = plain;
            return 0;
        }
    }
    unsigned char secret[TOTP_SECRET_BYTES];
    totp_secret_new(secret);
    char *b32 = totp_base32(a, secret, sizeof secret);
    sodium_memzero(secret, sizeof secret);
    const char *sealed = secret_seal(a, k, b32);
    if (db_q(c, a, NULL, "DELETE FROM second_factors WHERE person_id = $1", id_text(a, person_id)) <
            0 ||
        db_q(
            c, a, NULL,
            "INSERT INTO second_factors (person_id, secret_sealed, created_at) VALUES ($1, $2, $3)",
            id_text(a, person_id), sealed, now_text(a)) < 0)
        return -1;
    *base32 = b32;
    return 0;
}

/* The step of a TOTP code of the person's key (confirmed or being
 * enrolled), 0 when it is none, -1 on an error. */
static long long key_step(db_conn *c, arena *a, const secret_key *k, long long person_id,
                          const char *code, int confirmed)
{
    db_res *r;
    if (db_q(c, a, &r,
             confirmed ? "SELECT secret_sealed, last_step FROM second_factors"
                         " WHERE person_id = $1 AND confirmed_at IS NOT NULL"
                       : "SELECT secret_sealed, last_step FROM second_factors"
                         " WHERE person_id = $1 AND confirmed_at IS NULL",
             id_text(a, person_id)) < 0)
        return -1;
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
static int spend_step(db_conn *c, arena *a, long long person_id, long long step, int confirm)
{
    int n = confirm ? db_q(c, a, NULL,
                           "UPDATE second_factors SET last_step = $1, confirmed_at = $3"
                           " WHERE person_id = $2 AND last_step < $1 AND confirmed_at IS NULL",
                           id_text(a, step), id_text(a, person_id), now_text(a))
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
        long long step = key_step(c, a, k, person_id, code, 1);
        if (step <= 0) return step < 0 ? -1 : SF_WRONG;
        int spent = spend_step(c, a, person_id, step, 0);
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

int sf_confirm(db_conn *c, arena *a, const secret_key *k, long long person_id, const char *typed)
{
    char code[32];
    if (sf_normalise(typed, code, sizeof code) != 0) return SF_WRONG;
    long long step = key_step(c, a, k, person_id, code, 0);
    if (step <= 0) return step < 0 ? -1 : SF_WRONG;
    int spent = spend_step(c, a, person_id, step, 1);
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
    return db_q(req_db(rq), rq->a, NULL, "DELETE FROM login_challenges WHERE id = $1",
                id_text(rq->a, ch->id)) < 0
               ? -1
               : 0;
}
