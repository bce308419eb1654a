/* sender.c - delivers the outbox (see mail.h): claim, deliver by file or
 * SMTP, record the outcome; the sender thread; `klantportal mail`.
 *
 * A message is claimed with one UPDATE that also counts the attempt, so
 * with several senders on one database each message goes to one of them.
 * A claim expires after CLAIM_SECONDS: if its sender died, another takes
 * the message over. Delivery happens without holding a database
 * connection, so a slow SMTP server does not starve the web requests. */
#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/log.h"
#include "core/privdrop.h"
#include "core/timeutil.h"
#include "mail/mail.h"

#define CLAIM_SECONDS 120
#define MAX_ATTEMPTS 20
/* Given up: 9999-12-31T23:59:59Z, never due again. */
#define NEVER 253402300799LL
/* A claim lost to another sender is retried this often in one pass. */
#define CLAIM_RETRIES 5
#define ERR_MAX 200

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

/* The sub-select picks a candidate; the outer WHERE repeats the checks so
 * that on PostgreSQL a row another sender claimed meanwhile is re-checked
 * after its lock is released and then not taken. */
static const char claim_sql[] =
    "UPDATE outbox SET claimed_until = $1, attempts = attempts + 1 "
    "WHERE id = (SELECT id FROM outbox WHERE sent_at IS NULL AND next_attempt_at <= $2 "
    "AND (claimed_until IS NULL OR claimed_until < $2) ORDER BY id LIMIT 1) "
    "AND sent_at IS NULL AND (claimed_until IS NULL OR claimed_until < $2) "
    "RETURNING id, message_id, to_address, to_name, subject, body_text, body_html, attempts, "
    "link_kind, link_person_id, link_data, link_ttl, link_path";

static const char due_sql[] =
    "SELECT id FROM outbox WHERE sent_at IS NULL AND next_attempt_at <= $1 "
    "AND (claimed_until IS NULL OR claimed_until < $1) LIMIT 1";

/* Returns 1 with *m filled, 0 when nothing is due, -1 on a database
 * error. */
static int claim_once(db_conn *c, arena *a, outgoing *m)
{
    long long now = (long long)clock_now();
    db_res *r = NULL;
    int n = db_q(c, a, &r, claim_sql, num(a, now + CLAIM_SECONDS), num(a, now));
    if (n <= 0) return n;
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

static int claim(db *d, arena *a, outgoing *m)
{
    db_conn *c = db_acquire(d);
    int rc = 0;
    for (int i = 0; i < CLAIM_RETRIES; i++) {
        rc = claim_once(c, a, m);
        if (rc != 0) break;
        /* Nothing claimed: either nothing is due, or another sender took
         * our candidate; only in the second case is another try useful. */
        db_res *r = NULL;
        int due = db_q(c, a, &r, due_sql, num(a, (long long)clock_now()));
        if (due <= 0) {
            rc = due;
            break;
        }
    }
    if (rc < 0) log_error("mail: database: %s", db_errmsg(c));
    db_release(d, c);
    return rc;
}

/* Seconds to wait after the given failed attempt. */
static long long backoff(int attempts)
{
    static const long long steps[] = {30, 60, 120, 300, 900, 3600};
    int n = (int)(sizeof steps / sizeof steps[0]);
    if (attempts < 1) attempts = 1;
    return attempts > n ? steps[n - 1] : steps[attempts - 1];
}

static int record_sent(db *d, arena *a, const outgoing *m)
{
    db_conn *c = db_acquire(d);
    int n = db_q(c, a, NULL,
                 "UPDATE outbox SET sent_at = $1, claimed_until = NULL, last_error = '' "
                 "WHERE id = $2",
                 num(a, (long long)clock_now()), num(a, m->id));
    if (n < 0) log_error("mail %lld: verzonden, maar niet vastgelegd: %s", m->id, db_errmsg(c));
    db_release(d, c);
    return n < 0 ? -1 : 0;
}

/* Not sent: due again at next (NEVER: given up), with the reason. */
static int record_unsent(db *d, arena *a, const outgoing *m, long long next, const char *why)
{
    db_conn *c = db_acquire(d);
    int n = db_q(c, a, NULL,
                 "UPDATE outbox SET next_attempt_at = $1, claimed_until = NULL, last_error = $2 "
                 "WHERE id = $3",
                 num(a, next), why, num(a, m->id));
    if (n < 0) log_error("mail %lld: niet vastgelegd: %s", m->id, db_errmsg(c));
    db_release(d, c);
    return n < 0 ? -1 : 0;
}

static int record_failure(db *d, arena *a, const outgoing *m, const char *why)
{
    long long next = (long long)clock_now() + backoff(m->attempts);
    if (m->attempts >= MAX_ATTEMPTS) {
        next = NEVER;
        log_error("mail %lld: opgegeven na %d pogingen: %s", m->id, m->attempts, why);
    } else {
        log_error("mail %lld: poging %d mislukt: %s", m->id, m->attempts, why);
    }
    return record_unsent(d, a, m, next, why);
}

/* Never to be sent: given up at once, with the reason. */
static int record_dropped(db *d, arena *a, const outgoing *m, const char *why)
{
    log_info("mail %lld: %s", m->id, why);
    return record_unsent(d, a, m, NEVER, why);
}

/* ---- file transport ----------------------------------------------------- */

/* mkdir -p; new folders are private: the messages hold personal data. */
static int make_dirs(const char *dir)
{
    char path[4096];
    if (snprintf(path, sizeof path, "%s", dir) >= (int)sizeof path) return -1;
    for (char *p = path + 1; *p; p++) {
        if (*p != '/') continue;
        *p = '\0';
        if (mkdir(path, 0700) != 0 && errno != EEXIST) return -1;
        *p = '/';
    }
    if (mkdir(path, 0700) != 0 && errno != EEXIST) return -1;
    return 0;
}

static int write_all(int fd, const char *p, size_t n)
{
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) return -1;
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

/* Makes the rename itself durable. */
static void sync_dir(const char *dir)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY);
    if (fd < 0) return;
    fsync(fd);
    close(fd);
}

/* <dir>/<id>.eml, written whole or not at all: a temp file in the same
 * folder, fsync, rename. A second delivery of the same message (after a
 * crash) replaces the file instead of adding one. */
static int send_file(const char *dir, long long id, const char *msg, char *err, size_t errlen)
{
    /* mkstemp's template: six placeholder characters it replaces */
    static const char unique[] = {'X', 'X', 'X', 'X', 'X', 'X', '\0'};
    char tmp[4096], final[4096];
    if (snprintf(tmp, sizeof tmp, "%s/.%lld.eml.%s", dir, id, unique) >= (int)sizeof tmp ||
        snprintf(final, sizeof final, "%s/%lld.eml", dir, id) >= (int)sizeof final) {
        snprintf(err, errlen, "bestand: pad te lang");
        return -1;
    }
    if (make_dirs(dir) != 0) {
        snprintf(err, errlen, "bestand: map maken: %s", strerror(errno));
        return -1;
    }
    int fd = mkstemp(tmp);
    if (fd < 0) {
        snprintf(err, errlen, "bestand: %s", strerror(errno));
        return -1;
    }
    int ok = write_all(fd, msg, strlen(msg)) == 0 && fsync(fd) == 0;
    int saved = errno;
    if (close(fd) != 0 && ok) {
        ok = 0;
        saved = errno;
    }
    if (ok && rename(tmp, final) != 0) {
        ok = 0;
        saved = errno;
    }
    if (!ok) {
        unlink(tmp);
        snprintf(err, errlen, "bestand: %s", strerror(saved));
        return -1;
    }
    sync_dir(dir);
    return 0;
}

/* ---- SMTP transport ----------------------------------------------------- */

static void curl_init_once(void)
{
    curl_global_init(CURL_GLOBAL_DEFAULT);
    atexit(curl_global_cleanup);
}

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;

typedef struct reader {
    const char *p;
    size_t left;
} reader;

static size_t read_cb(char *dst, size_t size, size_t nitems, void *arg)
{
    reader *r = arg;
    size_t n = size * nitems;
    if (n > r->left) n = r->left;
    memcpy(dst, r->p, n);
    r->p += n;
    r->left -= n;
    return n;
}

/* The bare address of "Name <addr>" or "addr", as "<addr>" for MAIL FROM. */
static char *envelope_address(arena *a, const char *from)
{
    const char *lt = strrchr(from, '<');
    const char *gt = lt ? strchr(lt, '>') : NULL;
    if (lt && gt) return arena_printf(a, "%.*s", (int)(gt - lt + 1), lt);
    return arena_printf(a, "<%s>", from);
}

/* Overwrites any copy of the URL's password in msg, in case a message
 * ever quotes the URL. */
static void mask_password(char *msg, const char *url)
{
    CURLU *u = curl_url();
    char *pw = NULL;
    if (u && curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK &&
        curl_url_get(u, CURLUPART_PASSWORD, &pw, 0) == CURLUE_OK && pw && *pw) {
        size_t n = strlen(pw);
        for (char *p = strstr(msg, pw); p; p = strstr(p + n, pw))
            memset(p, '*', n);
    }
    curl_free(pw);
    curl_url_cleanup(u);
}

/* A relay on this machine is reached without a network in between, so it
 * may go without TLS (and still gets STARTTLS when it offers it); anything
 * else must do STARTTLS or the message is not sent: with "try", a man in
 * the middle could strip the offer and read credentials and links. */
long mail_smtp_tls_level(const char *url)
{
    if (strncmp(url, "smtp://", 7) != 0) return (long)CURLUSESSL_ALL;
    long level = (long)CURLUSESSL_ALL;
    CURLU *u = curl_url();
    char *host = NULL;
    if (u && curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK &&
        curl_url_get(u, CURLUPART_HOST, &host, 0) == CURLUE_OK && host) {
        size_t n = strlen(host);
        /* an IPv6 literal comes back in brackets */
        char *h = host;
        if (n >= 2 && h[0] == '[' && h[n - 1] == ']') {
            h[n - 1] = '\0';
            h++;
        }
        if (priv_is_loopback(h)) level = (long)CURLUSESSL_TRY;
    }
    curl_free(host);
    curl_url_cleanup(u);
    return level;
}

static int send_smtp(arena *a, const config *cfg, const char *to, const char *msg, char *err,
                     size_t errlen)
{
    const char *url = cfg->smtp_url;
    if (strncmp(url, "smtp://", 7) != 0 && strncmp(url, "smtps://", 8) != 0) {
        snprintf(err, errlen, "KLANTPORTAL_SMTP_URL moet met smtp:// of smtps:// beginnen");
        return -1;
    }
    pthread_once(&curl_once, curl_init_once);
    CURL *h = curl_easy_init();
    if (!h) {
        snprintf(err, errlen, "SMTP: libcurl start niet");
        return -1;
    }
    char cerr[CURL_ERROR_SIZE] = "";
    reader rd = {msg, strlen(msg)};
    struct curl_slist *rcpt = curl_slist_append(NULL, arena_printf(a, "<%s>", to));

    curl_easy_setopt(h, CURLOPT_URL, url);
#if LIBCURL_VERSION_NUM >= 0x075500
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
#endif
    curl_easy_setopt(h, CURLOPT_USE_SSL, mail_smtp_tls_level(url));
    curl_easy_setopt(h, CURLOPT_MAIL_FROM, envelope_address(a, cfg->mail_from));
    curl_easy_setopt(h, CURLOPT_MAIL_RCPT, rcpt);
    curl_easy_setopt(h, CURLOPT_READFUNCTION, read_cb);
    curl_easy_setopt(h, CURLOPT_READDATA, &rd);
    curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, 10L);
    curl_easy_setopt(h, CURLOPT_TIMEOUT, 60L);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, cerr);

    CURLcode rc = rcpt ? curl_easy_perform(h) : CURLE_OUT_OF_MEMORY;
    if (rc != CURLE_OK) {
        snprintf(err, errlen, "SMTP: %s", cerr[0] ? cerr : curl_easy_strerror(rc));
        mask_password(err, url);
    }
    curl_slist_free_all(rcpt);
    curl_easy_cleanup(h);
    return rc == CURLE_OK ? 0 : -1;
}

/* ---- delivery ----------------------------------------------------------- */

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

static int deliver(arena *a, const config *cfg, const outgoing *m, char *err, size_t errlen)
{
    const char *text = mime_build(a, cfg->mail_from, &m->msg, m->message_id, (time_t)clock_now());
    if (!text) {
        snprintf(err, errlen, "bericht niet op te bouwen (regeleinde in een kopregel?)");
        return -1;
    }
    if (cfg->smtp_url && *cfg->smtp_url)
        return send_smtp(a, cfg, m->msg.to_address, text, err, errlen);
    return send_file(cfg->mail_dir, m->id, text, err, errlen);
}

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

/* One message: 1 delivered, 0 failed (recorded), -1 database error,
 * -2 nothing due. */
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
    if (link == 1) {
        rc = record_dropped(d, a, &m, err) == 0 ? 0 : -1;
    } else if (link == 0 && deliver(a, cfg, &m, err, sizeof err) == 0) {
        rc = record_sent(d, a, &m) == 0 ? 1 : -1;
    } else {
        rc = record_failure(d, a, &m, err) == 0 ? 0 : -1;
    }
    arena_free(a);
    return rc;
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

/* ---- the sender thread -------------------------------------------------- */

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
    pthread_once(&curl_once, curl_init_once);
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

/* ---- klantportal mail --------------------------------------------------- */

static int cli_usage(void)
{
    fputs("gebruik: klantportal mail test --to ADRES | klantportal mail send\n"
          "  test  zet een testbericht in de wachtrij en verstuurt wat klaarstaat\n"
          "  send  verstuurt wat klaarstaat (één ronde)\n",
          stderr);
    return 2;
}

static const char test_text[] =
    "Goedendag,\n\n"
    "Dit is een testbericht van de Klantportal. Als u dit leest, werkt het\n"
    "verzenden van e-mail. U hoeft niets te doen.\n\n"
    "Speciale tekens horen er zo uit te zien: één, café, € 12,50.\n\n"
    "Met vriendelijke groet,\n"
    "Onderwijsgroep — Klantportal\n";

static const char test_html[] =
    "<!DOCTYPE html>\n<html lang=\"nl\"><head><meta charset=\"utf-8\">"
    "<title>Testbericht</title></head><body>\n"
    "<p>Goedendag,</p>\n"
    "<p>Dit is een <strong>testbericht</strong> van de Klantportal. Als u dit leest, werkt "
    "het verzenden van e-mail. U hoeft niets te doen.</p>\n"
    "<p>Speciale tekens horen er zo uit te zien: één, café, € 12,50.</p>\n"
    "<p>Met vriendelijke groet,<br>Onderwijsgroep — Klantportal</p>\n"
    "</body></html>\n";

/* Prints the outcome of outbox message id; 0 if it was sent. */
static int report(db *d, arena *a, long long id, const char *to)
{
    db_conn *c = db_acquire(d);
    db_res *r = NULL;
    int n = db_q(c, a, &r, "SELECT sent_at, last_error FROM outbox WHERE id = $1", num(a, id));
    int rc = 1;
    if (n != 1)
        fprintf(stderr, "klantportal: database: %s\n", n < 0 ? db_errmsg(c) : "bericht weg");
    else if (db_val(r, 0, "sent_at")) {
        printf("verzonden naar %s\n", to);
        rc = 0;
    } else {
        const char *why = db_val(r, 0, "last_error");
        fprintf(stderr, "klantportal: niet verzonden: %s\n", why && *why ? why : "onbekend");
    }
    db_release(d, c);
    return rc;
}

static int cli_test(db *d, const config *cfg, const char *to)
{
    arena *a = arena_new(0);
    mail_msg m = {.to_address = to,
                  .to_name = "",
                  .subject = "Testbericht van de Klantportal",
                  .text = test_text,
                  .html = test_html};
    db_conn *c = db_acquire(d);
    long long id = mail_enqueue(c, a, &m);
    db_release(d, c);
    int rc;
    if (id < 0) {
        fprintf(stderr, "klantportal: ongeldig adres of database onbereikbaar\n");
        rc = 2;
    } else if (mail_deliver_due(d, cfg) < 0) {
        fprintf(stderr, "klantportal: database: verzenden afgebroken\n");
        rc = 1;
    } else {
        rc = report(d, a, id, to);
    }
    arena_free(a);
    return rc;
}

int mail_cli(db *d, const config *cfg, int argc, char **argv)
{
    /* With CURLOPT_NOSIGNAL libcurl leaves SIGPIPE alone, and a TLS write
     * to a server that hung up would end the process (serve ignores it
     * already). */
    signal(SIGPIPE, SIG_IGN);
    if (argc == 3 && strcmp(argv[0], "test") == 0 && strcmp(argv[1], "--to") == 0)
        return cli_test(d, cfg, argv[2]);
    if (argc == 1 && strcmp(argv[0], "send") == 0) {
        int n = mail_deliver_due(d, cfg);
        if (n < 0) {
            fprintf(stderr, "klantportal: database: verzenden afgebroken\n");
            return 1;
        }
        printf("%d bericht(en) verzonden\n", n);
        return 0;
    }
    return cli_usage();
}
