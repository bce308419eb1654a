/* server.h - libmicrohttpd glue: turns each connection's request into an
 * http_req, routes it, runs the handler and sends the http_resp.
 *
 * Limits: request headers 32 KiB (libmicrohttpd answers 431 itself), body
 * 64 KiB (10 MiB on RF_UPLOAD routes, else 413), 30 s idle per connection;
 * per-address connections and the receive deadline as in connguard.h.
 * rq->client_ip is the peer, or behind a trusted proxy the client it names
 * (forwarded.h).
 */
#ifndef KP_SERVER_H
#define KP_SERVER_H

#include <stddef.h>

#include "http/http.h"

typedef struct server server;

/* Renders the page for an error status (400, 403, 404, 405, 413, 500 …). */
typedef void (*error_page_fn)(http_req *rq, http_resp *rs, int status);

/* Runs before every handler, after the inputs are parsed: loads who is
 * asking, enforces login and CSRF. Returns 0 to run the handler, 1 when it
 * has answered itself (a redirect), or an error status (>= 400) for the
 * server to answer with its error page. */
typedef int (*before_fn)(http_req *rq, http_resp *rs);

typedef struct server_hooks {
    error_page_fn error_page;
    before_fn before; /* may be NULL */
} server_hooks;

/* Binds site->listen and starts site->threads request threads plus as many
 * workers for deferred jobs. site must outlive the server. Returns 0, or -1
 * with a one-line reason in err (e.g. address in use). */
int server_start(const http_site *site, const server_hooks *hooks, server **out, char *err,
                 size_t errlen);
int server_port(const server *s);
/* Stops accepting, lets requests in flight finish (up to 10 s), stops. */
void server_stop(server *s);

/* Adds the headers every response carries (CSP, nosniff, ...). Exposed for
 * tests. */
void server_security_headers(const http_site *site, http_resp *rs, arena *a);

#endif
