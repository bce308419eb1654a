/* http.h - the request and response objects handlers work with.
 *
 * The server (server.c) builds an http_req for each request: everything in
 * it lives in rq->a, the request's arena, which is freed when the response
 * has been sent. A handler fills the http_resp; it never writes to the
 * socket itself.
 */
#ifndef KP_HTTP_H
#define KP_HTTP_H

#include <stddef.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/netaddr.h"
#include "http/form.h"
#include "http/kv.h"
#include "http/router.h"

struct app;
struct db;
struct db_conn;
struct auth_ctx;
struct static_files;

/* What http/ knows of the site it serves. The program fills one before
 * server_start and never changes it while the server runs; every request
 * sees it as rq->site. A layer above that needs facts of its own makes a
 * struct that begins with this one (web/page.h: web_site). */
typedef struct http_site {
    int https;                           /* the base URL is https: Secure cookies, HSTS */
    struct db *db;                       /* the pool a request borrows its connection from */
    int db_wait_ms;                      /* how long it waits for one (then 503) */
    const struct static_files *statics;  /* what /static/ serves (static.h) */
    const router *router;                /* the routes */
    const char *listen;                  /* "host:port" to bind */
    int threads;                         /* request threads, and as many hashing workers */
    long page_cache_ms;                  /* public pages kept this long; 0 = no cache */
    const netaddr_list *trusted_proxies; /* peers whose X-Forwarded-For is believed */
    int conns_per_address;               /* open connections per address (connguard.h) */
    int receive_seconds;                 /* a whole request must be in by then */
    /* The program's own state for the handlers above (rq->app); http/
     * passes it on and never looks inside. */
    struct app *app;
} http_site;

/* Who is asking, as the page layout shows it (the name menu, the forms'
 * token, the context). Set by the before-hook (auth/) for a logged-in
 * person, so web/ renders it without knowing auth/. */
typedef struct req_viewer {
    const char *name;     /* "Jan de Vries" */
    const char *csrf;     /* the token forms carry */
    const char *org_name; /* the organisation acted for, or NULL */
    int in_org;           /* acting for an organisation */
    int beheerder;        /* beheerder there */
    int has_orgs;         /* has any organisation to act for (Organisatie kiezen) */
    int staff;            /* a back-office account */
} req_viewer;

typedef struct http_req {
    arena *a;
    const http_site *site;    /* the site's facts (never NULL in the server) */
    struct app *app;          /* = site->app, for the features */
    void *conn;               /* the libmicrohttpd connection (server.c only) */
    const char *method;       /* as sent; HEAD is routed as GET */
    const char *path;         /* raw path, without the query */
    const char *query_string; /* raw, without '?', "" if none */
    kvlist query;             /* all query parameters */
    kvlist form;              /* all body fields (urlencoded or multipart) */
    uploads files;            /* multipart files */
    kvlist cookies;
    kvlist params; /* path parameters */
    kvlist in;     /* declared, valid inputs: what handlers read */
    kvlist errors; /* declared inputs that failed: field -> message */
    const route *rt;
    const char *client_ip;
    struct db_conn *db_conn;  /* lazily borrowed by req_db() */
    struct auth_ctx *auth;    /* who is asking (src/auth/session.h); NULL = anonymous */
    const req_viewer *viewer; /* the same for the layout; NULL = anonymous */
    /* Set before the handler (the before-hook) when the page will show
     * something meant for this visitor alone, such as a notice after a
     * redirect: the page cache neither serves nor keeps it. */
    int personal;
    /* Set with an error status to say more than the status's standard
     * page: a title and a Dutch sentence (e.g. why a form was refused). */
    const char *error_title, *error_text;
    /* Deferred work (req_defer): set by the handler, run off the request
     * threads; the handler is then called again with resumed = 1. */
    void (*defer_fn)(void *arg);
    void *defer_arg;
    int resumed;
} http_req;

/* A body made while it is sent (http/stream.h). */
typedef struct http_stream http_stream;

typedef struct http_resp {
    int status;
    const char *content_type;
    buf body;
    kvlist headers;
    /* When set, sent instead of body (e.g. a static file kept in memory
     * for the life of the process). */
    const char *data;
    size_t len;
    /* When set, the body is made piece by piece while it is sent
     * (resp_stream); body and data are not used. */
    const http_stream *stream;
} http_resp;

/* Request helpers. */
const char *req_param(const http_req *rq, const char *name); /* path parameter */
const char *req_in(const http_req *rq, const char *name);    /* declared input */
/* Every valid value of a declared IN_REPEATED field, in the order sent:
 * the first max go to out; returns how many there are (may exceed max). */
size_t req_in_all(const http_req *rq, const char *name, const char **out, size_t max);
const char *req_header(const http_req *rq, const char *name);
/* The request's database connection, borrowed until the request ends. The
 * server takes it before the handler runs (503 when none is free within
 * KLANTPORTAL_DB_WAIT_MS), so inside a handler it is never NULL; only
 * RF_NO_SESSION handlers must check. */
struct db_conn *req_db(http_req *rq);

/* Runs fn(arg) on the server's worker pool while the connection waits
 * without holding a request thread (used for Argon2id hashing, so a flood of
 * logins cannot starve the other pages). The handler must return right
 * after; it is called again with rq->resumed = 1 and rq->defer_arg intact.
 * The database connection is given back meanwhile. */
void req_defer(http_req *rq, void (*fn)(void *arg), void *arg);

/* Response helpers. resp_header replaces a header of the same name;
 * resp_add_header appends (for Set-Cookie). */
void resp_header(http_resp *rs, arena *a, const char *name, const char *value);
void resp_add_header(http_resp *rs, arena *a, const char *name, const char *value);
/* Sets Location through http_location_encode. */
void resp_redirect(http_resp *rs, arena *a, int status, const char *location);
void resp_text(http_resp *rs, int status, const char *text);

/* Text for the log line: control characters (C0, DEL) and '\\' become
 * \xNN, so a request cannot forge or break log lines nor send terminal
 * escapes to whoever reads them. Returns s itself when nothing needs it. */
const char *http_log_safe(arena *a, const char *s);
/* A URL safe to put in a Location header: bytes >= 0x80, controls and
 * spaces are percent-encoded; a valid %XX is kept as it is, a stray '%'
 * becomes %25. Returns s itself when nothing needs it. */
const char *http_location_encode(arena *a, const char *s);

#endif
