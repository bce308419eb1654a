/* fuzz_router.c - libFuzzer target for router_match() and input_filter().
 *
 * The input is "path?query". The path goes to router_match() (which takes a
 * C string, so it gets an exactly-sized NUL-terminated copy); the query is
 * copied into a buffer of exactly its size, parsed as urlencoded and run
 * through input_filter() with the matched route's fields, or with a spec
 * that has every field kind when nothing matched.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "http/form.h"
#include "http/router.h"

static void h(struct http_req *rq, struct http_resp *rs)
{
    (void)rq;
    (void)rs;
}

static const field_spec all_kinds[] = {
    {"t", IN_QUERY, FK_TEXT, 0},
    {"l", IN_QUERY, FK_LINE, 10},
    {"id", IN_QUERY, FK_ID, 0},
    {"n", IN_QUERY, FK_INT, 0},
    {"e", IN_QUERY, FK_EMAIL, 0},
    {"d", IN_QUERY, FK_DATE, 0},
    {"m", IN_QUERY, FK_MONTH, 0},
    {"s", IN_QUERY, FK_SLUG, 0},
    {"c", IN_QUERY, FK_CHECKBOX, 0},
    {"k", IN_QUERY | IN_FORM, FK_TOKEN, 0},
    {"r", IN_FORM | IN_REPEATED, FK_ID, 20},
    {NULL, 0, FK_TEXT, 0},
};

static const field_spec search[] = {
    {"q", IN_QUERY, FK_LINE, 100},
    {"pagina", IN_QUERY, FK_INT, 0},
    {"vanaf", IN_QUERY, FK_DATE, 0},
    {NULL, 0, FK_TEXT, 0},
};

static const route routes[] = {
    {"GET", "/", h, NULL, 0},
    {"GET", "/aanbod", h, search, 0},
    {"GET", "/aanbod/nieuw", h, NULL, 0},
    {"GET", "/aanbod/:slug", h, all_kinds, 0},
    {"POST", "/aanbod/:slug", h, all_kinds, 0},
    {"GET", "/aanbod/:slug/edities/:id", h, NULL, 0},
    {"GET", "/static/*path", h, NULL, 0},
    {"GET", "/docs/:name", h, NULL, 0},
    {"GET", "/docs/*rest", h, NULL, 0},
    {"POST", "/inloggen", h, NULL, RF_NO_LOG_QUERY},
    {"GET", "/wachtwoord/:token", h, search, RF_NO_LOG_QUERY},
};

static void filter(arena *a, const field_spec *spec, const char *q, size_t n)
{
    kvlist query = {0}, in = {0}, errors = {0};
    if (form_parse_urlencoded(a, q, n, &form_default_limits, &query) != FORM_OK) return;
    /* the same fields as a query and as a form: both paths, and a form
     * field sent again and again (IN_REPEATED) */
    int nerr = input_filter(a, spec, &query, &query, &in, &errors);
    if (nerr < 0 || (size_t)nerr != errors.n) abort();
    for (size_t i = 0; i < in.n; i++)
        if (strlen(in.v[i].value) != in.v[i].len || in.v[i].len == 0) abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const uint8_t *qmark = memchr(data, '?', size);
    size_t plen = qmark ? (size_t)(qmark - data) : size;
    size_t qlen = qmark ? size - plen - 1 : 0;
    char *path = malloc(plen + 1);
    char *query = malloc(qlen ? qlen : 1);
    if (!path || !query) abort();
    memcpy(path, data, plen);
    path[plen] = '\0';
    if (qlen) memcpy(query, qmark + 1, qlen);

    router *r = router_new();
    for (size_t i = 0; i < sizeof(routes) / sizeof(routes[0]); i++)
        if (router_add(r, &routes[i]) != 0) abort();
    arena *a = arena_new(0);
    const char *methods[] = {"GET", "HEAD", "POST", "DELETE"};
    const field_spec *spec = all_kinds;
    for (size_t i = 0; i < 4; i++) {
        route_match m;
        int rc = router_match(r, a, methods[i], path, &m);
        if (rc == ROUTE_FOUND && m.rt->fields) spec = m.rt->fields;
        if (rc == ROUTE_BAD_METHOD && (!m.allow || !m.allow[0])) abort();
        if (rc != ROUTE_FOUND && m.params.n) abort();
    }
    filter(a, spec, query, qlen);
    arena_free(a);
    router_free(r);
    free(query);
    free(path);
    return 0;
}
