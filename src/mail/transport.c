/* transport.c - how a built message leaves (see internal.h): as a file in
 * the mail folder, or by SMTP through libcurl. */
#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/privdrop.h"
#include "core/timeutil.h"
#include "mail/internal.h"

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
    mail_transport_init();
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

void mail_transport_init(void)
{
    pthread_once(&curl_once, curl_init_once);
}

int mail_transport_send(arena *a, const config *cfg, long long id, const mail_msg *m,
                        const char *message_id, char *err, size_t errlen)
{
    const char *text = mime_build(a, cfg->mail_from, m, message_id, (time_t)clock_now());
    if (!text) {
        snprintf(err, errlen, "bericht niet op te bouwen (regeleinde in een kopregel?)");
        return -1;
    }
    if (cfg->smtp_url && *cfg->smtp_url) return send_smtp(a, cfg, m->to_address, text, err, errlen);
    return send_file(cfg->mail_dir, id, text, err, errlen);
}
