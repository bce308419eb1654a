/* server.c - see server.h.
 *
 * libmicrohttpd calls the access handler several times per request: once
 * when the headers are in, once per chunk of body, and once more when the
 * body is complete. We route on the first call (so limits can depend on the
 * route), collect the body in the request's arena, and do the real work on
 * the last call. The arena is freed in the completion callback, after the
 * response bytes (which point into it) have been sent.
 */
#include "http/server.h"

#include <arpa/inet.h>
#include <errno.h>
#include <microhttpd.h>
#include <netdb.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "core/config.h"
#include "core/log.h"
#include "db/db.h"
#include "http/connguard.h"
#include "http/forwarded.h"
#include "http/pagecache.h"
#include "http/stream.h"

/* A form is a few fields of at most 8 KiB each; only upload routes (all
 * of them staff's) need room for files: a dossier message carries up to
 * five files of 4 MB, with its text and the multipart framing. */
#define FORM_BODY_LIMIT (64 * 1024)
#define UPLOAD_LIMIT (24 * 1024 * 1024)
/* A body of unknown length starts in a buffer of this size. */
#define BODY_START (16 * 1024)

/* Deferred jobs wait here for a worker (see req_defer). */
typedef struct job {
    struct job *next;
    struct req_ctx *ctx;
} job;

struct server {
    struct MHD_Daemon *mhd;
    const http_site *site;
    server_hooks hooks;
    int fd;
    int port;
    atomic_int in_flight;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    job *head, *tail;
    int queued;
    int stopping;
    int nworkers;
    pthread_t workers[64];
    pagecache *cache; /* NULL when KLANTPORTAL_PAGE_CACHE_MS is 0 */
    connguard *guard;
};

/* Per-request state; lives in its own arena. */
typedef struct req_ctx {
    http_req rq;
    http_resp rs;
    server *srv;
    conn_slot *slot; /* the connection's place in the guard */
    char *body;      /* what came so far; room for body_cap bytes and a NUL */
    size_t body_len, body_cap;
    int body_heap;   /* body is malloc'd (length not declared): freed at the end */
    size_t declared; /* Content-Length within the limit; 0 = none or chunked */
    int started;     /* first access-handler call done */
    int too_large;   /* body over the limit: answer 413 */
    size_t limit;
    int route_status; /* ROUTE_FOUND / 404 / 405 */
    int deferred;     /* 1 waiting for a worker, 2 done */
    struct MHD_Connection *conn;
    route_match match;
    struct timespec t0;
} req_ctx;

static void *on_uri(void *cls, const char *uri, struct MHD_Connection *conn)
{
    server *srv = cls;
    arena *a = arena_new(16384);
    req_ctx *c = arena_zalloc(a, sizeof *c);
    c->srv = srv;
    c->rq.a = a;
    c->rq.site = srv->site;
    c->rq.app = srv->site->app;
    c->rq.conn = conn;
    clock_gettime(CLOCK_MONOTONIC, &c->t0);
    /* The raw request target: split path and query ourselves so parsing is
     * ours (and fuzzed), not libmicrohttpd's in-place unescaping. */
    const char *q = strchr(uri, '?');
    if (q) {
        c->rq.path = arena_strndup(a, uri, (size_t)(q - uri));
        c->rq.query_string = arena_strdup(a, q + 1);
    } else {
        c->rq.path = arena_strdup(a, uri);
        c->rq.query_string = "";
    }
    buf_init(&c->rs.body, a, 8192);
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
    c->slot = ci ? ci->socket_context : NULL;
    atomic_fetch_add(&srv->in_flight, 1);
    return c;
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    (void)conn;
    (void)toe;
    server *srv = cls;
    req_ctx *c = *con_cls;
    if (!c) return;
    if (c->rq.db_conn) db_release(srv->site->db, c->rq.db_conn);
    connguard_next_request(srv->guard, c->slot);
    if (c->body_heap) free(c->body);
    arena_free(c->rq.a);
    *con_cls = NULL;
    atomic_fetch_sub(&srv->in_flight, 1);
}

void server_security_headers(const http_site *site, http_resp *rs, arena *a)
{
    static const char csp[] = "default-src 'self'; script-src 'self'; style-src 'self'; "
                              "img-src 'self' data:; object-src 'none'; base-uri 'self'; "
                              "form-action 'self'; frame-ancestors 'none'";
    if (!kv_get(&rs->headers, "Content-Security-Policy"))
        resp_header(rs, a, "Content-Security-Policy", csp);
    resp_header(rs, a, "X-Content-Type-Options", "nosniff");
    resp_header(rs, a, "X-Frame-Options", "DENY");
    if (!kv_get(&rs->headers, "Referrer-Policy"))
        resp_header(rs, a, "Referrer-Policy", "strict-origin-when-cross-origin");
    if (!kv_get(&rs->headers, "Cache-Control")) resp_header(rs, a, "Cache-Control", "no-store");
    if (site->https)
        resp_header(rs, a, "Strict-Transport-Security", "max-age=31536000; includeSubDomains");
}

/* Collects the X-Forwarded-For values in the order they were received. */
typedef struct xff_values {
    const char *v[16];
    size_t n;
    int overflow;
} xff_values;

static enum MHD_Result collect_xff(void *cls, enum MHD_ValueKind kind, const char *key,
                                   const char *value)
{
    (void)kind;
    xff_values *x = cls;
    if (strcasecmp(key, "X-Forwarded-For") != 0) return MHD_YES;
    if (x->n == sizeof x->v / sizeof x->v[0]) {
        x->overflow = 1;
        return MHD_NO;
    }
    x->v[x->n++] = value ? value : "";
    return MHD_YES;
}

/* The TCP peer, or behind a trusted proxy the client it names. */
static const char *client_ip(const http_site *site, struct MHD_Connection *conn, arena *a)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    netaddr peer, client;
    if (!ci || netaddr_from_sockaddr(ci->client_addr, &peer) != 0) return "-";
    client = peer;
    if (netaddr_list_has(site->trusted_proxies, &peer)) {
        xff_values x = {0};
        MHD_get_connection_values(conn, MHD_HEADER_KIND, collect_xff, &x);
        /* More headers than we keep: the ones we kept may not include
         * the proxy's own, so none can be believed. */
        if (!x.overflow) client = forwarded_client(site->trusted_proxies, &peer, x.v, x.n);
    }
    char text[NETADDR_TEXT];
    netaddr_format(&client, text);
    return arena_strdup(a, text);
}

static void error_response(req_ctx *c, int status)
{
    c->rs.body.len = 0;
    c->rs.body.data[0] = '\0';
    c->rs.data = NULL;
    c->rs.stream = NULL;
    c->srv->hooks.error_page(&c->rq, &c->rs, status);
    c->rs.status = status;
}

static void access_log(req_ctx *c, int status, size_t bytes)
{
    struct timespec t1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double ms =
        (double)(t1.tv_sec - c->t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - c->t0.tv_nsec) / 1e6;
    int hide = !c->rq.rt || (c->rq.rt->flags & RF_NO_LOG_QUERY) || !*c->rq.query_string;
    arena *a = c->rq.a;
    log_info("%s %s%s%s %d %zu %.1fms %s", http_log_safe(a, c->rq.method),
             http_log_safe(a, c->rq.path), hide ? "" : "?",
             hide ? "" : http_log_safe(a, c->rq.query_string), status, bytes, ms, c->rq.client_ip);
}

/* A public page for an anonymous visitor, with nothing personal queued
 * (the before-hook sets a cookie when it clears a stale session) nor
 * expected (a notice the request brings along). */
static int cacheable(const req_ctx *c)
{
    const http_req *rq = &c->rq;
    return c->srv->cache && (rq->rt->flags & RF_PAGE_CACHE) && !rq->auth && !rq->personal &&
           c->rs.headers.n == 0 &&
           (strcmp(rq->method, "GET") == 0 || strcmp(rq->method, "HEAD") == 0);
}

/* Appends received bytes (the caller keeps the total within the limit). A
 * body of declared length has its whole buffer in the arena from the first
 * call. One of unknown length (chunked) grows in a buffer of its own,
 * doubling up to the limit: realloc leaves no old copies behind in the
 * arena, and the buffer goes when the request ends. Returns -1 for bytes
 * beyond the declared length. */
static int body_add(req_ctx *c, const char *data, size_t n)
{
    if (c->body_len + n > c->body_cap) {
        if (c->body && !c->body_heap) return -1;
        size_t cap = c->body_cap ? c->body_cap : BODY_START;
        while (cap < c->body_len + n)
            cap *= 2;
        if (cap > c->limit) cap = c->limit;
        char *p = realloc(c->body, cap + 1);
        if (!p) abort();
        c->body = p;
        c->body_cap = cap;
        c->body_heap = 1;
    }
    memcpy(c->body + c->body_len, data, n);
    c->body_len += n;
    return 0;
}

/* The form limits of a route: the defaults (or the many fields of a form
 * with a row per participant, RF_MANY_FIELDS), except that a route declaring
 * a form field longer than a value may be (a page's Markdown text) takes
 * values up to the body limit, so that a text a little too long reaches
 * the input filter and is refused next to its field, as typed, instead of
 * with a 413 page that loses it. */
static form_limits route_limits(const route *rt)
{
    form_limits l = rt && (rt->flags & RF_MANY_FIELDS) ? form_many_limits : form_default_limits;
    for (const field_spec *f = rt ? rt->fields : NULL; f && f->name; f++)
        if ((f->where & IN_FORM) && f->maxlen > form_default_limits.max_value)
            l.max_value = FORM_BODY_LIMIT;
    return l;
}

/* Parses query, cookies and body, filters the declared inputs and runs the
 * handler. Returns the status to answer with when parsing fails, else 0. */
static int run_handler(req_ctx *c)
{
    http_req *rq = &c->rq;
    arena *a = rq->a;
    const form_limits *lim =
        (rq->rt->flags & RF_MANY_FIELDS) ? &form_many_limits : &form_default_limits;
    const form_limits body_lim = route_limits(rq->rt);
    if (*rq->query_string && form_parse_urlencoded(a, rq->query_string, strlen(rq->query_string),
                                                   lim, &rq->query) != FORM_OK)
        return 400;
    const char *cookie = req_header(rq, MHD_HTTP_HEADER_COOKIE);
    if (cookie) form_parse_cookies(a, cookie, lim, &rq->cookies);
    if (c->body_len > 0) {
        const char *ct = req_header(rq, MHD_HTTP_HEADER_CONTENT_TYPE);
        char *body = c->body;
        body[c->body_len] = '\0';
        int rc;
        if (ct && strncasecmp(ct, "multipart/form-data", 19) == 0)
            rc = form_parse_multipart(a, ct, body, c->body_len, &body_lim, &rq->form, &rq->files);
        else if (ct && strncasecmp(ct, "application/x-www-form-urlencoded", 33) == 0)
            rc = form_parse_urlencoded(a, body, c->body_len, &body_lim, &rq->form);
        else
            return 415;
        if (rc == FORM_TOO_LONG || rc == FORM_TOO_MANY) return 413;
        if (rc != FORM_OK) return 400;
    }
    input_filter(a, rq->rt->fields, &rq->query, &rq->form, &rq->in, &rq->errors);
    /* every pool connection busy for too long: say so rather than queue */
    if (!(rq->rt->flags & RF_NO_SESSION) && !req_db(rq)) return 503;
    c->rs.status = 200;
    c->rs.content_type = "text/html; charset=utf-8";
    int before = c->srv->hooks.before ? c->srv->hooks.before(rq, &c->rs) : 0;
    if (before >= 400) return before;
    if (before) return 0;
    if (!cacheable(c)) {
        rq->rt->fn(rq, &c->rs);
        return 0;
    }
    const char *key = arena_printf(a, "%s?%s", rq->path, rq->query_string);
    http_resp *rs = &c->rs;
    if (pagecache_get(c->srv->cache, a, key, &rs->data, &rs->len, &rs->content_type)) return 0;
    rq->rt->fn(rq, rs);
    if (rs->status == 200 && !rs->data && !rs->stream && rs->headers.n == 0 && !rq->auth &&
        !rq->personal)
        pagecache_put(c->srv->cache, key, rs->body.data, rs->body.len, rs->content_type);
    return 0;
}

static void *worker_main(void *arg)
{
    server *s = arg;
    for (;;) {
        pthread_mutex_lock(&s->mu);
        while (!s->head && !s->stopping)
            pthread_cond_wait(&s->cv, &s->mu);
        job *j = s->head;
        if (!j) {
            pthread_mutex_unlock(&s->mu);
            return NULL;
        }
        s->head = j->next;
        if (!s->head) s->tail = NULL;
        s->queued--;
        pthread_mutex_unlock(&s->mu);
        req_ctx *c = j->ctx;
        c->rq.defer_fn(c->rq.defer_arg);
        c->deferred = 2;
        MHD_resume_connection(c->conn);
    }
}

#define MAX_QUEUED_JOBS 256

/* The handler asked for deferred work: give the database connection back,
 * park the connection and queue the job. Returns 1 when queued; 0 when
 * the server is stopping (the job then runs here, since the workers are
 * gone and a parked connection could never be resumed); -1 when the queue
 * is full (a login flood: answer 503 rather than grow without bound). */
static int defer(req_ctx *c)
{
    server *s = c->srv;
    if (c->rq.db_conn) {
        db_release(s->site->db, c->rq.db_conn);
        c->rq.db_conn = NULL;
    }
    job *j = arena_zalloc(c->rq.a, sizeof *j);
    j->ctx = c;
    pthread_mutex_lock(&s->mu);
    if (s->stopping || s->queued >= MAX_QUEUED_JOBS) {
        int full = !s->stopping;
        pthread_mutex_unlock(&s->mu);
        if (full) return -1;
        c->rq.defer_fn(c->rq.defer_arg);
        return 0;
    }
    c->deferred = 1;
    MHD_suspend_connection(c->conn);
    if (s->tail)
        s->tail->next = j;
    else
        s->head = j;
    s->tail = j;
    s->queued++;
    pthread_cond_signal(&s->cv);
    pthread_mutex_unlock(&s->mu);
    return 1;
}

/* Called again after the deferred job: the handler picks up its result. */
static void resume_handler(req_ctx *c)
{
    c->deferred = 0;
    c->rq.resumed = 1;
    c->rq.defer_fn = NULL;
    if (!req_db(&c->rq)) {
        error_response(c, 503);
        return;
    }
    c->rq.rt->fn(&c->rq, &c->rs);
}

/* Gives the request's database connection back to the pool. */
static void give_back_db(http_req *rq)
{
    req_ctx *c = (req_ctx *)rq; /* rq is the first member */
    if (!rq->db_conn) return;
    db_release(c->srv->site->db, rq->db_conn);
    rq->db_conn = NULL;
}

static enum MHD_Result send_response(struct MHD_Connection *conn, req_ctx *c)
{
    http_resp *rs = &c->rs;
    /* Give the database connection back before the bytes go out (a
     * streamed body borrows it again for each piece). */
    give_back_db(&c->rq);
    server_security_headers(c->srv->site, rs, c->rq.a);
    const char *data = rs->data ? rs->data : rs->body.data;
    size_t len = rs->stream ? 0 : rs->data ? rs->len : rs->body.len;
    struct MHD_Response *r =
        rs->stream ? stream_response(&c->rq, rs->stream, give_back_db)
                   : MHD_create_response_from_buffer(len, (void *)data, MHD_RESPMEM_PERSISTENT);
    if (!r) return MHD_NO;
    if (rs->content_type)
        MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, rs->content_type);
    for (size_t i = 0; i < rs->headers.n; i++)
        MHD_add_response_header(r, rs->headers.v[i].name, rs->headers.v[i].value);
    int status = rs->status ? rs->status : 200;
    enum MHD_Result ret = MHD_queue_response(conn, (unsigned)status, r);
    MHD_destroy_response(r);
    access_log(c, status, len);
    return ret;
}

static enum MHD_Result first_call(struct MHD_Connection *conn, req_ctx *c, const char *method)
{
    http_req *rq = &c->rq;
    c->conn = conn;
    rq->method = arena_strdup(rq->a, method);
    rq->client_ip = client_ip(c->srv->site, conn, rq->a);
    c->started = 1;
    c->route_status = router_match(c->srv->site->router, rq->a, rq->method, rq->path, &c->match);
    rq->rt = c->match.rt;
    rq->params = c->match.params;
    c->limit = (rq->rt && (rq->rt->flags & RF_UPLOAD)) ? UPLOAD_LIMIT : FORM_BODY_LIMIT;
    const char *cl =
        MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
    int chunked = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
                                              MHD_HTTP_HEADER_TRANSFER_ENCODING) != NULL;
    /* With Transfer-Encoding the length is libmicrohttpd's to find (it
     * ignores Content-Length then), so a Content-Length beside it must not
     * stop the receive clock early: only the end of the body does. */
    long declared = 0;
    if (cl && !chunked && config_parse_long(cl, 0, (long)c->limit, &declared) != 0) {
        /* over the limit (libmicrohttpd has refused what is not a number) */
        c->too_large = 1;
    } else if (declared > 0) {
        c->declared = (size_t)declared;
        c->body = arena_alloc(rq->a, c->declared + 1);
        c->body_cap = c->declared;
    } else if (!chunked) {
        /* No body to wait for: the request is in. */
        connguard_request_in(c->srv->guard, c->slot);
    }
    return MHD_YES;
}

static enum MHD_Result handle(struct MHD_Connection *conn, const char *method,
                              const char *upload_data, size_t *upload_data_size, void **con_cls)
{
    req_ctx *c = *con_cls;
    if (!c) return MHD_NO;
    if (!c->started) {
        first_call(conn, c, method);
        /* A declared body over the limit is refused before it is read. */
        if (!c->too_large) return MHD_YES;
        connguard_request_in(c->srv->guard, c->slot);
        error_response(c, 413);
        return send_response(conn, c);
    }
    if (*upload_data_size > 0) {
        if (c->too_large || c->body_len + *upload_data_size > c->limit ||
            body_add(c, upload_data, *upload_data_size) != 0)
            c->too_large = 1;
        *upload_data_size = 0;
        /* The clock stops when the bytes are here, not when libmicrohttpd
         * gets round to its last call (later on a busy server). */
        if (c->declared && c->body_len >= c->declared) connguard_request_in(c->srv->guard, c->slot);
        return MHD_YES;
    }
    /* The last call: the whole request is in (chunked bodies end here). */
    connguard_request_in(c->srv->guard, c->slot);
    if (c->route_status == ROUTE_BAD_METHOD) {
        resp_header(&c->rs, c->rq.a, "Allow", c->match.allow);
        error_response(c, 405);
    } else if (c->route_status != ROUTE_FOUND) {
        error_response(c, 404);
    } else if (c->too_large) {
        error_response(c, 413);
    } else {
        if (c->deferred == 2)
            resume_handler(c);
        else if (c->deferred == 0) {
            int st = run_handler(c);
            if (st) error_response(c, st);
        }
        while (c->rq.defer_fn && c->deferred == 0) {
            int queued = defer(c);
            if (queued > 0) return MHD_YES;
            if (queued < 0) {
                c->rq.defer_fn = NULL;
                error_response(c, 503);
                break;
            }
            resume_handler(c);
        }
    }
    return send_response(conn, c);
}

/* libmicrohttpd's access handler: the guard is told how long this thread
 * is busy, since its other connections wait meanwhile. */
static enum MHD_Result on_access(void *cls, struct MHD_Connection *conn, const char *url,
                                 const char *method, const char *version, const char *upload_data,
                                 size_t *upload_data_size, void **con_cls)
{
    (void)url;
    (void)version;
    server *s = cls;
    connguard_busy(s->guard, 1);
    enum MHD_Result r = handle(conn, method, upload_data, upload_data_size, con_cls);
    connguard_busy(s->guard, 0);
    return r;
}

__attribute__((format(printf, 2, 0))) static void mhd_log(void *cls, const char *fmt, va_list ap)
{
    (void)cls;
    char line[512], safe[sizeof line * 4];
    vsnprintf(line, sizeof line, fmt, ap);
    size_t n = strlen(line);
    while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
        line[--n] = '\0';
    /* libmicrohttpd's messages quote the request's URI as it came. */
    size_t o = 0;
    for (const unsigned char *p = (const unsigned char *)line; *p; p++) {
        if (*p < 0x20 || *p == 0x7f || *p == '\\')
            o += (size_t)snprintf(safe + o, sizeof safe - o, "\\x%02x", *p);
        else
            safe[o++] = (char)*p;
    }
    safe[o] = '\0';
    log_error("http: %s", safe);
}

static int bind_listen(const char *addr, int *port_out, char *err, size_t errlen)
{
    char host[256], port[16];
    int p;
    if (config_split_listen(addr, host, sizeof host, &p) != 0) {
        snprintf(err, errlen, "ongeldig luisteradres '%s'", addr);
        return -1;
    }
    snprintf(port, sizeof port, "%d", p);
    struct addrinfo hints = {.ai_socktype = SOCK_STREAM, .ai_flags = AI_PASSIVE};
    struct addrinfo *res;
    int gai = getaddrinfo(host, port, &hints, &res);
    if (gai != 0) {
        snprintf(err, errlen, "kan luisteradres '%s' niet gebruiken: %s", addr, gai_strerror(gai));
        return -1;
    }
    int fd = socket(res->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
    int one = 1;
    if (fd >= 0) setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (fd < 0 || bind(fd, res->ai_addr, res->ai_addrlen) != 0 || listen(fd, 1024) != 0) {
        snprintf(err, errlen, "kan niet luisteren op %s: %s", addr, strerror(errno));
        if (fd >= 0) close(fd);
        freeaddrinfo(res);
        return -1;
    }
    freeaddrinfo(res);
    struct sockaddr_storage ss;
    socklen_t sl = sizeof ss;
    getsockname(fd, (struct sockaddr *)&ss, &sl);
    *port_out = ntohs(ss.ss_family == AF_INET6 ? ((struct sockaddr_in6 *)&ss)->sin6_port
                                               : ((struct sockaddr_in *)&ss)->sin_port);
    return fd;
}

static enum MHD_Result accept_policy(void *cls, const struct sockaddr *addr, socklen_t addrlen)
{
    (void)addrlen;
    server *s = cls;
    return connguard_admit(s->guard, addr) ? MHD_YES : MHD_NO;
}

static void on_connection(void *cls, struct MHD_Connection *conn, void **socket_context,
                          enum MHD_ConnectionNotificationCode code)
{
    server *s = cls;
    if (code == MHD_CONNECTION_NOTIFY_CLOSED) {
        connguard_close(s->guard, *socket_context);
        *socket_context = NULL;
        return;
    }
    const union MHD_ConnectionInfo *addr =
        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    const union MHD_ConnectionInfo *fd =
        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);
    if (!addr || !fd) return;
    *socket_context = connguard_open(s->guard, addr->client_addr, fd->connect_fd);
}

/* Raises the descriptor limit to what the system allows and returns how
 * many connections fit in it, keeping room for the database, the log and
 * the listening socket. Idle sockets are cheap; running out of descriptors
 * is what would stop the server answering. */
static unsigned connection_limit(void)
{
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) != 0) return 1000;
    if (rl.rlim_cur < rl.rlim_max) {
        rl.rlim_cur = rl.rlim_max;
        setrlimit(RLIMIT_NOFILE, &rl);
        getrlimit(RLIMIT_NOFILE, &rl);
    }
    rlim_t room = rl.rlim_cur > 1024 ? rl.rlim_cur - 256 : rl.rlim_cur / 2;
    return room > 16384 ? 16384u : (unsigned)room;
}

int server_start(const http_site *site, const server_hooks *hooks, server **out, char *err,
                 size_t errlen)
{
    int port = 0;
    int fd = bind_listen(site->listen, &port, err, errlen);
    if (fd < 0) return -1;
    server *s = calloc(1, sizeof *s);
    if (!s) abort();
    s->site = site;
    s->hooks = *hooks;
    s->fd = fd;
    pthread_mutex_init(&s->mu, NULL);
    pthread_cond_init(&s->cv, NULL);
    s->port = port;
    s->guard = connguard_new(site->trusted_proxies, site->conns_per_address, site->receive_seconds);
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ITC |
                     MHD_ALLOW_SUSPEND_RESUME | MHD_USE_ERROR_LOG;
    s->mhd = MHD_start_daemon(
        flags, 0, accept_policy, s, &on_access, s, MHD_OPTION_EXTERNAL_LOGGER, &mhd_log, s,
        MHD_OPTION_LISTEN_SOCKET, (MHD_socket)fd, MHD_OPTION_THREAD_POOL_SIZE,
        (unsigned)site->threads, MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)30,
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(32 * 1024), MHD_OPTION_CONNECTION_LIMIT,
        connection_limit(), MHD_OPTION_URI_LOG_CALLBACK, &on_uri, s, MHD_OPTION_NOTIFY_COMPLETED,
        &on_completed, s, MHD_OPTION_NOTIFY_CONNECTION, &on_connection, s, MHD_OPTION_END);
    if (!s->mhd) {
        snprintf(err, errlen, "kan de webserver niet starten op %s", site->listen);
        close(fd);
        connguard_free(s->guard);
        free(s);
        return -1;
    }
    if (site->page_cache_ms > 0) s->cache = pagecache_new(1024, site->page_cache_ms);
    s->nworkers = site->threads;
    for (int i = 0; i < s->nworkers; i++)
        pthread_create(&s->workers[i], NULL, worker_main, s);
    *out = s;
    return 0;
}

int server_port(const server *s)
{
    return s->port;
}

void server_stop(server *s)
{
    if (!s) return;
    MHD_socket fd = MHD_quiesce_daemon(s->mhd);
    if (fd != MHD_INVALID_SOCKET) close(fd);
    /* Let requests in flight finish; idle keep-alive connections do not
     * count, they are closed by MHD_stop_daemon. */
    for (int i = 0; i < 1000 && atomic_load(&s->in_flight) > 0; i++)
        usleep(10000);
    /* Workers finish the jobs still queued (resuming their connections)
     * before the daemon goes: it must not stop with parked connections. */
    pthread_mutex_lock(&s->mu);
    s->stopping = 1;
    pthread_cond_broadcast(&s->cv);
    pthread_mutex_unlock(&s->mu);
    for (int i = 0; i < s->nworkers; i++)
        pthread_join(s->workers[i], NULL);
    MHD_stop_daemon(s->mhd);
    connguard_free(s->guard);
    pagecache_free(s->cache);
    pthread_mutex_destroy(&s->mu);
    pthread_cond_destroy(&s->cv);
    free(s);
}
