/* router.h - maps method + path to a handler, with path parameters and the
 * inputs each route declares.
 *
 * Patterns are literal segments, ":name" for one segment (":name.pdf": one
 * segment ending in ".pdf", the parameter without it), and a final "*name"
 * for the rest of the path (one or more segments, joined by '/').
 * Literal segments win over parameters, a parameter with a suffix over one
 * without; routes are otherwise tried in the
 * order they were added. HEAD is matched as GET.
 *
 * Declared input (Kore's validators): a route lists the query and form
 * fields it accepts, each with a kind and a maximum length. input_filter()
 * keeps only those; anything else (a forged "organisatie_id", "rol") never
 * reaches the handler. A declared field that fails its check is left out of
 * the accepted list and its Dutch message is put in the error list, so the
 * handler can show it next to the field.
 */
#ifndef KP_ROUTER_H
#define KP_ROUTER_H

#include <stddef.h>

#include "core/arena.h"
#include "http/kv.h"

struct http_req;
struct http_resp;
typedef void (*handler_fn)(struct http_req *rq, struct http_resp *rs);

/* IN_REPEATED (with IN_FORM): a field sent once per ticked row, such as a
 * checkbox per registration. Every value is checked and kept, not only the
 * first; req_in gives the first, req_in_all every one. */
enum { IN_QUERY = 1, IN_FORM = 2, IN_REPEATED = 4 };

typedef enum field_kind {
    FK_TEXT,     /* any text, newlines allowed (textarea) */
    FK_LINE,     /* one line: no control characters */
    FK_ID,       /* positive integer, no sign or leading zeros, < 2^53 */
    FK_INT,      /* integer, optional '-' */
    FK_EMAIL,    /* one '@', no spaces or control chars, a dot in the domain */
    FK_DATE,     /* YYYY-MM-DD, a real calendar date */
    FK_MONTH,    /* YYYY-MM */
    FK_SLUG,     /* [a-z0-9-]+ */
    FK_CHECKBOX, /* present means on; any value accepted */
    FK_TOKEN,    /* [A-Za-z0-9_-]+ (base64url tokens) */
} field_kind;

typedef struct field_spec {
    const char *name;
    unsigned where; /* IN_QUERY, IN_FORM or both */
    field_kind kind;
    size_t maxlen; /* in bytes; 0 means 200 */
} field_spec;

/* Route flags, read by the server and by later features. */
enum {
    RF_NO_LOG_QUERY = 1, /* the query string holds a secret: never log it */
    RF_UPLOAD = 2,       /* the body may be multipart with files (larger limit) */
    RF_LOGIN = 4,        /* only for a logged-in person; else to /inloggen?terug= */
    RF_NO_SESSION = 8,   /* never looks at who is asking (static files, health) */
    RF_NO_CSRF = 16,     /* a POST that checks its CSRF token itself (Uitloggen) */
    RF_ORG = 32,         /* needs an organisation chosen (implies RF_LOGIN); else 404 */
    RF_BEHEERDER = 64,   /* needs beheerder rights in it (implies RF_ORG); else 403 */
    RF_PAGE_CACHE = 128, /* the same for every anonymous visitor: may be cached briefly */
    RF_STAFF = 256,      /* back office: staff accounts only (implies RF_LOGIN); else 403 */
    /* a form with fields per row (a result per participant): up to
     * FORM_MANY_FIELDS fields instead of the default 64; the body limit
     * stays the same */
    RF_MANY_FIELDS = 512,
};

/* "login,org" for the flags that decide who may come in and how the route
 * is handled; "-" for none. For `klantportal routes`. */
const char *route_flag_names(arena *a, unsigned flags);

typedef struct route {
    const char *method; /* "GET" or "POST" */
    const char *pattern;
    handler_fn fn;
    const field_spec *fields; /* terminated by an entry with name == NULL; may be NULL */
    unsigned flags;
} route;

typedef struct router router;

router *router_new(void);
void router_free(router *r);
/* The route struct is referenced, not copied: keep it static. Returns -1 on
 * a malformed pattern or a route that duplicates one added before (same
 * method, same segments, parameters counting as equal whatever their
 * names): the router then also keeps the first such problem for
 * router_error(), so the program refuses to start instead of serving a
 * table with a hole in it. */
int router_add(router *r, const route *rt);
/* Records a problem found while registering routes (a table too small, a
 * form that does not fit), so that router_error reports it and the
 * program refuses to start. Returns -1. */
int router_refuse(router *r, const char *why);
/* The first problem router_add met, in Dutch, or NULL. */
const char *router_error(const router *r);
/* The i-th route in the order added, or NULL past the end. */
const route *router_route_at(const router *r, size_t i);
/* Adds a feature's whole table (static, like router_add's). */
#define router_add_all(r, table)                                                                   \
    do {                                                                                           \
        for (size_t i_ = 0; i_ < sizeof(table) / sizeof((table)[0]); i_++)                         \
            router_add((r), &(table)[i_]);                                                         \
    } while (0)

enum { ROUTE_FOUND = 0, ROUTE_NOT_FOUND = 404, ROUTE_BAD_METHOD = 405 };

typedef struct route_match {
    const route *rt;
    kvlist params;     /* path parameters, decoded */
    const char *allow; /* for 405: "GET, HEAD" or "POST" etc. */
} route_match;

/* path is the raw (still percent-encoded) path without query. Segments are
 * decoded before they are bound; a segment that does not decode is a 404. */
int router_match(const router *r, arena *a, const char *method, const char *path, route_match *m);

/* Fills `in` with the declared, valid fields of query and form (a field
 * sent twice counts once, the first, unless declared IN_REPEATED); errors
 * get "field" -> Dutch message. Returns the number of errors. */
int input_filter(arena *a, const field_spec *spec, const kvlist *query, const kvlist *form,
                 kvlist *in, kvlist *errors);

/* The single-field checks, for handlers and tests: 1 if valid. */
int field_valid(field_kind k, const char *v, size_t len);

#endif
