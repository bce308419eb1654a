/* outbox.c - mail_enqueue (see mail.h): check a message and store it in
 * the outbox, in the caller's transaction. */
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "auth/token.h"
#include "core/buf.h"
#include "core/email.h"
#include "core/log.h"
#include "core/timeutil.h"
#include "core/utf8.h"
#include "mail/internal.h"

#define SUBJECT_MAX 200
#define NAME_MAX_BYTES 200

static int is_control(unsigned char c)
{
    return c < 0x20 || c == 0x7f;
}

/* Well-formed UTF-8: the MIME parts announce charset=UTF-8. */
static int utf8_text(const char *s)
{
    return utf8_valid(s, strlen(s));
}

/* One line of header text: UTF-8 without control characters. */
static int valid_line(const char *s, size_t max)
{
    if (strlen(s) > max || !utf8_text(s)) return 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (is_control(*p)) return 0;
    return 1;
}

/* A link request must say whose token of which kind, for how long, and
 * the message must have a place for the link: without one the person
 * would get a mail that opens nothing. */
static const char *check_link(const mail_msg *m)
{
    const mail_link *l = m->link;
    if (!l->kind || !l->kind[0] || !valid_line(l->kind, 32)) return "ongeldige soort link";
    if (l->person_id <= 0 || l->ttl_seconds <= 0) return "ongeldige link";
    if (!l->path || l->path[0] != '/' || strpbrk(l->path, "?#") || !valid_line(l->path, 200))
        return "ongeldig pad van de link";
    if (l->data && !utf8_text(l->data)) return "ongeldige gegevens bij de link";
    if (!strstr(m->text, MAIL_LINK_MARKER)) return "geen plaats voor de link";
    return NULL;
}

static const char *check(const mail_msg *m)
{
    if (!m->to_address || !email_valid(m->to_address, strlen(m->to_address)))
        return "ongeldig e-mailadres";
    if (m->to_name && !valid_line(m->to_name, NAME_MAX_BYTES)) return "ongeldige naam";
    if (!m->subject || !m->subject[0] || !valid_line(m->subject, SUBJECT_MAX))
        return "ongeldig onderwerp";
    if (!m->text || !utf8_text(m->text)) return "ongeldige tekst";
    if (m->html && !utf8_text(m->html)) return "ongeldige HTML";
    if (m->nattachments < 0 || m->nattachments > MAIL_ATTACHMENTS_MAX ||
        (m->nattachments > 0 && !m->attachments))
        return "ongeldige bijlagen";
    for (int i = 0; i < m->nattachments; i++) {
        const char *why = mail_attachment_check(&m->attachments[i]);
        if (why) return why;
    }
    return m->link ? check_link(m) : NULL;
}

/* "<32 hex.unixtime@klantportal>": random, so unique across processes. */
static char *new_message_id(arena *a, long long now)
{
    unsigned char raw[16];
    char hex[sizeof raw * 2 + 1];
    randombytes_buf(raw, sizeof raw);
    sodium_bin2hex(hex, sizeof hex, raw, sizeof raw);
    return arena_printf(a, "<%s.%lld@klantportal>", hex, now);
}

static const char *num(arena *a, long long v)
{
    return arena_printf(a, "%lld", v);
}

/* A newer link voids the older ones of its kind. */
static int void_tokens(db_conn *c, arena *a, const mail_link *l, const char *now)
{
    return db_q(c, a, NULL,
                "UPDATE account_tokens SET used_at = $1 WHERE person_id = $2 AND kind = $3"
                " AND used_at IS NULL",
                now, num(a, l->person_id), l->kind) < 0
               ? -1
               : 0;
}

/* The display name is a courtesy: a name longer than the header allows is
 * shortened (at a character boundary), never a reason to lose the mail
 * and with it the change it belongs to. */
static const mail_msg *short_name(arena *a, const mail_msg *m)
{
    if (!m || !m->to_name || strlen(m->to_name) <= NAME_MAX_BYTES) return m;
    size_t n = utf8_cut(m->to_name, strlen(m->to_name), NAME_MAX_BYTES);
    mail_msg *copy = arena_alloc(a, sizeof *copy);
    *copy = *m;
    copy->to_name = arena_printf(a, "%.*s", (int)n, m->to_name);
    return copy;
}

long long mail_enqueue(db_conn *c, arena *a, const mail_msg *m)
{
    m = short_name(a, m);
    const char *why = m ? check(m) : "geen bericht";
    if (why) {
        log_error("mail niet in de wachtrij: %s", why);
        return -1;
    }
    if (sodium_init() < 0) {
        log_error("mail niet in de wachtrij: libsodium start niet");
        return -1;
    }
    long long now = (long long)clock_now();
    const char *now_s = num(a, now);
    const mail_link *l = m->link;
    if (l && void_tokens(c, a, l, now_s) != 0) {
        log_error("mail niet in de wachtrij: %s", db_errmsg(c));
        return -1;
    }
    db_res *r = NULL;
    int n = db_q(c, a, &r,
                 "INSERT INTO outbox (message_id, to_address, to_name, subject, body_text, "
                 "body_html, created_at, next_attempt_at, link_kind, link_person_id, link_data, "
                 "link_ttl, link_path) "
                 "VALUES ($1, $2, $3, $4, $5, $6, $7, $7, $8, $9, $10, $11, $12) RETURNING id",
                 new_message_id(a, now), m->to_address, m->to_name ? m->to_name : "", m->subject,
                 m->text, m->html ? m->html : "", now_s, l ? l->kind : NULL,
                 l ? num(a, l->person_id) : NULL, l ? l->data : NULL,
                 l ? num(a, l->ttl_seconds) : NULL, l ? l->path : NULL);
    if (n != 1) {
        log_error("mail niet in de wachtrij: %s", db_errmsg(c));
        return -1;
    }
    long long id = db_int(r, 0, "id");
    for (int i = 0; i < m->nattachments; i++)
        if (mail_attach(c, a, id, &m->attachments[i]) != 0) return -1;
    return id;
}

typedef struct mint {
    const mail_link *l;
    const char *token;
} mint;

static int mint_tx(db_conn *c, arena *a, void *arg)
{
    const mint *m = arg;
    long long now = (long long)clock_now();
    const char *now_s = num(a, now);
    if (void_tokens(c, a, m->l, now_s) != 0) return -1;
    return db_q(c, a, NULL,
                "INSERT INTO account_tokens (token_hash, person_id, kind, data, created_at,"
                " expires_at) VALUES ($1, $2, $3, $4, $5, $6)",
                token_hash(a, m->token), num(a, m->l->person_id), m->l->kind, m->l->data, now_s,
                num(a, now + m->l->ttl_seconds)) < 0
               ? -1
               : 0;
}

char *mail_mint_link(db_conn *c, arena *a, const char *base_url, const mail_link *l)
{
    mint m = {l, token_new(a)};
    if (db_tx(c, a, mint_tx, &m) != 0) return NULL;
    return arena_printf(a, "%s%s?token=%s", base_url, l->path, m.token);
}

char *mail_put_link(arena *a, const char *s, const char *link)
{
    static const size_t mlen = sizeof MAIL_LINK_MARKER - 1;
    buf b;
    buf_init(&b, a, strlen(s) + 256);
    for (const char *p; (p = strstr(s, MAIL_LINK_MARKER)); s = p + mlen) {
        buf_add(&b, s, (size_t)(p - s));
        buf_puts(&b, link);
    }
    buf_puts(&b, s);
    return b.data;
}
