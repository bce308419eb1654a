/* sender.c - delivers the outbox (see mail.h): claim a message, mint its
 * link, hand it to the transport, record the outcome; the sender thread.
 *
 * The outbox is a queue in the sense of db/queue.h, like the jobs table: a
 * message is claimed for CLAIM_SECONDS with one statement that also counts
 * the attempt, so with several senders on one database each message goes
 * to one of them, and if its sender dies another takes it over. Delivery
 * happens without holding a database connection, so a slow SMTP server
 * does not starve the web requests. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/log.h"
#include "core/timeutil.h"
#include "db/queue.h"
#include "mail/internal.h"

/* Longer than the SMTP transfer may take (libcurl: 10 s to connect, 60 s
 * in all), so a live sender never loses its claim. */
#define CLAIM_SECONDS 120
#define ERR_MAX 200

static const db_queue outbox = {
    .table = "outbox",
    .due = "next_attempt_at",
    .done = "sent_at",
    .order = "id",
    .columns = "id, message_id, to_address, to_name, subject, body_text, body_html, attempts,"
               " link_kind, link_person_id, link_data, link_ttl, link_path",
    .lease_s = CLAIM_SECONDS,
};

typedef struct outgoing {
    long long id;
    int attempts;
    const char *message_id;
    mail_msg msg;
    mail_link link; /* used when link.kind is set */
} outgoing;

/* ---- claiming and recording -------------------------------------------- */

static const char *num(arena *a, long long v)
{
    return arena_printf(a, "%lld", v);
}

/* Returns 1 with *m filled, 0 when nothing is due, -1 on a database
 * error. */
static int claim(db *d, arena *a, outgoing *m)
{
    db_conn *c = db_acquire(d);
    db_res *r = NULL;
    int rc = db_queue_claim(c, a, &outbox, &r);
    /* the files too, on the same connection, before it goes back */
    if (rc == 1 && mail_attachments_load(c, a, db_int(r, 0, "id"), &m->msg) != 0) rc = -1;
    if (rc < 0) log_error("mail: database: %s", db_errmsg(c));
    db_release(d, c);
    if (rc != 1) return rc;
    m->id = db_int(r, 0, "id");
    m->attempts = (int)db_int(r, 0, "attempts");
    m->message_id = db_val(r, 0, "message_id");
    m->msg.to_address = db_val(r, 0, "to_address");
    m->msg.to_name = db_val(r, 0, "to_name");
    m->msg.subject = db_val(r, 0, "subject");
    m->msg.text = db_val(r, 0, "body_text");
    m->msg.html = db_val(r, 0, "body_html");
    const char *kind = db_val(r, 0, "link_kind");
    if (kind && *kind) {
        m->link = (mail_link){kind, db_int(r, 0, "link_person_id"), db_val(r, 0, "link_data"),
                              db_int(r, 0, "link_ttl"), db_val(r, 0, "link_path")};
        m->msg.link = &m->link;
    }
    return 1;
}

typedef enum outcome {
    SENT,
    FAILED,  /* tried again after the back-off, or given up */
    DROPPED, /* never to be sent: given up at once */
} outcome;

/* Every outcome of a claimed message is recorded here, with the reason
 * in last_error and the log. 0, or -1 on a database error. */
static int record(db *d, arena *a, const outgoing *m, outcome o, const char *why)
{
    long long next = DB_QUEUE_NEVER;
    if (o == FAILED) next = db_queue_backoff(m->attempts, (long long)clock_now());
    if (o == DROPPED)
        log_info("mail %lld: %s", m->id, why);
    else if (o == FAILED && next == DB_QUEUE_NEVER)
        log_error("mail %lld: opgegeven na %d pogingen: %s", m->id, m->attempts, why);
    else if (o == FAILED)
        log_error("mail %lld: poging %d mislukt: %s", m->id, m->attempts, why);
    db_conn *c = db_acquire(d);
    int rc = o == SENT ? db_queue_done(c, a, &outbox, m->id)
                       : db_queue_retry(c, a, &outbox, m->id, next, why);
    if (rc < 0)
        log_error("mail %lld: %s: %s", m->id,
                  o == SENT ? "verzonden, maar niet vastgelegd" : "niet vastgelegd", db_errmsg(c));
    db_release(d, c);
    return rc;
}

/* ---- links --------------------------------------------------------------- */

/* Is the message's link no longer wanted? Two cases:
 * - a newer message with a link of the same kind for the same person was
 *   sent already: sending this one (a retry that comes late) would void
 *   the newer link. A newer one not yet sent needs nothing: it mints
 *   after this one and voids it.
 * - the recipient is no longer the person's address (nor the address the
 *   token carries, as for an e-mail change): a link must not go to an
 *   address the account has left.
 * 1 with the reason in *why, 0, or -1 on a database error. */
static int link_unwanted(db_conn *c, arena *a, const outgoing *m, const char **why)
{
    db_res *r = NULL;
    const char *person = num(a, m->link.person_id);
    int n = db_q(c, a, &r,
                 "SELECT id FROM outbox WHERE link_kind = $1 AND link_person_id = $2 AND id > $3"
                 " AND sent_at IS NOT NULL LIMIT 1",
                 m->link.kind, person, num(a, m->id));
    if (n != 0) {
        *why = "vervangen door een nieuwere link";
        return n < 0 ? -1 : 1;
    }
    const char *to = m->msg.to_address;
    n = db_q(c, a, &r, "SELECT id FROM persons WHERE id = $1 AND (email = $2 OR $3 = $2)", person,
             to, m->link.data ? m->link.data : "");
    *why = "het adres hoort niet meer bij het account";
    return n < 0 ? -1 : n == 0;
}

/* Mints the message's token (a retry mints a new one, voiding the one
 * before) and puts the link in place of the marker, in memory only.
 * Returns 0; 1 when the message is not to be sent (reason in err); -1. */
static int fill_link(db *d, arena *a, const config *cfg, outgoing *m, char *err, size_t errlen)
{
    db_conn *c = db_acquire(d);
    const char *why = NULL;
    int unwanted = link_unwanted(c, a, m, &why);
    char *link =
        unwanted == 0 ? mail_mint_link(c, a, cfg->base_url ? cfg->base_url : "", &m->link) : NULL;
    if (unwanted == 1)
        snprintf(err, errlen, "niet verzonden: %s", why);
    else if (!link)
        snprintf(err, errlen, "link niet aan te maken: %s", db_errmsg(c));
    db_release(d, c);
    if (unwanted == 1) return 1;
    if (!link) return -1;
    buf html;
    buf_init(&html, a, 256);
    buf_html_str(&html, link);
    m->msg.text = mail_put_link(a, m->msg.text, link);
    if (m->msg.html) m->msg.html = mail_put_link(a, m->msg.html, html.data);
    return 0;
}

/* ---- delivery and the sender thread -------------------------------------- */

struct mail_sender {
    db *d;
    const config *cfg;
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int stop, kicked;
};

static int stop_requested(mail_sender *s)
{
    if (!s) return 0;
    pthread_mutex_lock(&s->mu);
    int stop = s->stop;
    pthread_mutex_unlock(&s->mu);
    return stop;
}

/* One message: 1 delivered, 0 failed or dropped (recorded), -1 database
 * error, -2 nothing due. */
static int deliver_one(db *d, const config *cfg)
{
    arena *a = arena_new(0);
    outgoing m = {0};
    int rc = claim(d, a, &m);
    if (rc <= 0) {
        arena_free(a);
        return rc == 0 ? -2 : -1;
    }
    char err[ERR_MAX] = "";
    int link = m.msg.link ? fill_link(d, a, cfg, &m, err, sizeof err) : 0;
    outcome o = FAILED;
    if (link == 1)
        o = DROPPED;
    else if (link == 0 &&
             mail_transport_send(a, cfg, m.id, &m.msg, m.message_id, err, sizeof err) == 0)
        o = SENT;
    rc = record(d, a, &m, o, err);
    arena_free(a);
    if (rc < 0) return -1;
    return o == SENT ? 1 : 0;
}

/* Delivers until nothing is due or s asks to stop. */
static int deliver_due(db *d, const config *cfg, mail_sender *s)
{
    int sent = 0;
    while (!stop_requested(s)) {
        int rc = deliver_one(d, cfg);
        if (rc == -2) break;
        if (rc == -1) return -1;
        sent += rc;
    }
    return sent;
}

int mail_deliver_due(db *d, const config *cfg)
{
    return deliver_due(d, cfg, NULL);
}

static void *sender_main(void *arg)
{
    mail_sender *s = arg;
    pthread_mutex_lock(&s->mu);
    while (!s->stop) {
        s->kicked = 0;
        pthread_mutex_unlock(&s->mu);
        deliver_due(s->d, s->cfg, s);
        pthread_mutex_lock(&s->mu);
        if (s->stop || s->kicked) continue;
        struct timespec until;
        clock_gettime(CLOCK_MONOTONIC, &until);
        until.tv_sec += 1;
        pthread_cond_timedwait(&s->cv, &s->mu, &until);
    }
    pthread_mutex_unlock(&s->mu);
    return NULL;
}

int mail_sender_start(db *d, const config *cfg, mail_sender **out, char *err, size_t errlen)
{
    *out = NULL;
    mail_transport_init();
    mail_sender *s = calloc(1, sizeof *s);
    if (!s) abort();
    s->d = d;
    s->cfg = cfg;
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&s->cv, &ca);
    pthread_condattr_destroy(&ca);
    pthread_mutex_init(&s->mu, NULL);
    int rc = pthread_create(&s->thread, NULL, sender_main, s);
    if (rc != 0) {
        snprintf(err, errlen, "mailverzender start niet: %s", strerror(rc));
        pthread_cond_destroy(&s->cv);
        pthread_mutex_destroy(&s->mu);
        free(s);
        return -1;
    }
    *out = s;
    return 0;
}

void mail_sender_kick(mail_sender *s)
{
    if (!s) return;
    pthread_mutex_lock(&s->mu);
    s->kicked = 1;
    pthread_cond_signal(&s->cv);
    pthread_mutex_unlock(&s->mu);
}

void mail_sender_stop(mail_sender *s)
{
    if (!s) return;
    pthread_mutex_lock(&s->mu);
    s->stop = 1;
    pthread_cond_signal(&s->cv);
    pthread_mutex_unlock(&s->mu);
    pthread_join(s->thread, NULL);
    pthread_cond_destroy(&s->cv);
    pthread_mutex_destroy(&s->mu);
    free(s);
}
