/* test_router.c - route matching, declared input and the field checks. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "http/router.h"

static void h_dummy(struct http_req *rq, struct http_resp *rs)
{
    (void)rq;
    (void)rs;
}

/* Added in an order that would let a param route shadow a literal one if
 * order alone decided. */
static const route r_home = {"GET", "/", h_dummy, NULL, 0};
static const route r_aanbod = {"GET", "/aanbod", h_dummy, NULL, 0};
static const route r_slug = {"GET", "/aanbod/:slug", h_dummy, NULL, 0};
static const route r_slug_post = {"POST", "/aanbod/:slug", h_dummy, NULL, 0};
static const route r_nieuw = {"GET", "/aanbod/nieuw", h_dummy, NULL, 0};
static const route r_editie = {"GET", "/aanbod/:slug/edities/:id", h_dummy, NULL, 0};
static const route r_static = {"GET", "/static/*path", h_dummy, NULL, 0};
static const route r_login = {"POST", "/inloggen", h_dummy, NULL, 0};
static const route r_docs_rest = {"GET", "/docs/*rest", h_dummy, NULL, 0};
static const route r_docs_name = {"GET", "/docs/:name", h_dummy, NULL, 0};

typedef struct fixture {
    arena *a;
    router *r;
} fixture;

static int setup(void **state)
{
    static fixture f;
    f.a = arena_new(0);
    f.r = router_new();
    const route *all[] = {&r_home,   &r_aanbod, &r_slug,      &r_slug_post, &r_nieuw,
                          &r_editie, &r_static, &r_docs_rest, &r_docs_name, &r_login};
    for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++)
        if (router_add(f.r, all[i]) != 0) return -1;
    *state = &f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    router_free(f->r);
    arena_free(f->a);
    return 0;
}

static int match(void **state, const char *method, const char *path, route_match *m)
{
    fixture *f = *state;
    return router_match(f->r, f->a, method, path, m);
}

/* ---- matching ---- */

static void test_literal_routes(void **state)
{
    route_match m;
    assert_int_equal(match(state, "GET", "/", &m), ROUTE_FOUND);
    assert_ptr_equal(m.rt, &r_home);
    assert_int_equal(m.params.n, 0);
    assert_null(m.allow);
    assert_int_equal(match(state, "GET", "/aanbod", &m), ROUTE_FOUND);
    assert_ptr_equal(m.rt, &r_aanbod);
}

static void test_literal_beats_param(void **state)
{
    route_match m;
    assert_int_equal(match(state, "GET", "/aanbod/nieuw", &m), ROUTE_FOUND);
    assert_ptr_equal(m.rt, &r_nieuw);
    assert_int_equal(m.params.n, 0);
    assert_int_equal(match(state, "GET", "/aanbod/excel-basis", &m), ROUTE_FOUND);
    assert_ptr_equal(m.rt, &r_slug);
    assert_string_equal(kv_get(&m.params, "slug"), "excel-basis");
    /* the literal route is GET only: a POST goes to the param route */
    assert_int_equal(match(state, "POST", "/aanbod/nieuw", &m), ROUTE_FOUND);
    assert_ptr_equal(m.rt, &r_slug_post);
    assert_string_equal(kv_get(&m.params, "slug"), "nieuw");
}

static void test_params_decoded(void **state)
{
    route_match m;
    assert_int_equal(match(state, "GET", "/aanbod/caf%C3%A9+x%20y/edities/42", &m), ROUTE_FOUND);
    assert_ptr_equal(m.rt, &r_editie);
    assert_int_equal(m.params.n, 2);
    assert_string_equal(kv_get(&m.params, "slug"), "caf\xc3\xa9+x y"); /* '+' stays */
    assert_string_equal(kv_get(&m.params, "id"), "42");
    /* an encoded literal still matches the literal */
    assert_int_equal(match(state, "GET", "/aanbod/%6Eieuw", &m), ROUTE_FOUND);
    assert_ptr_equal(m.rt, &r_nieuw);
    /* a single parameter may hold a decoded slash */
    assert_int_equal(match(state, "GET", "/aanbod/a%2Fb", &m), ROUTE_FOUND);
    assert_string_equal(kv_get(&m.params, "slug"), "a/b");
}

static void test_rest(void **state)
{
    route_match m;
    assert_int_equal(match(state, "GET", "/static/css/site%20x.css", &m), ROUTE_FOUND);
    assert_ptr_equal(m.rt, &r_static);
    assert_string_equal(kv_get(&m.params, "path"), "css/site x.css");
    assert_int_equal(match(state, "GET", "/static/logo.svg", &m), ROUTE_FOUND);
    assert_string_equal(kv_get(&m.params, "path"), "logo.svg");
    /* one or more segments */
    assert_int_equal(match(state, "GET", "/static", &m), ROUTE_NOT_FOUND);
    /* an encoded slash could not be told apart after joining */
    assert_int_equal(match(state, "GET", "/static/a%2F..%2Fb", &m), ROUTE_NOT_FOUND);
    /* dot segments never match */
    assert_int_equal(match(state, "GET", "/static/../etc/passwd", &m), ROUTE_NOT_FOUND);
    assert_int_equal(match(state, "GET", "/static/%2E%2E/x", &m), ROUTE_NOT_FOUND);
    assert_int_equal(match(state, "GET", "/static/./x", &m), ROUTE_NOT_FOUND);
}

static void test_param_beats_rest(void **state)
{
    route_match m;
    assert_int_equal(match(state, "GET", "/docs/intro", &m), ROUTE_FOUND);
    assert_ptr_equal(m.rt, &r_docs_name);
    assert_int_equal(match(state, "GET", "/docs/a/b", &m), ROUTE_FOUND);
    assert_ptr_equal(m.rt, &r_docs_rest);
    assert_string_equal(kv_get(&m.params, "rest"), "a/b");
}

static void test_not_found(void **state)
{
    route_match m;
    const char *paths[] = {
        "/onbekend", "/aanbod/x/edities", "/aanbod/x/edities/1/2", "aanbod", "", "*", "/AANBOD"};
    for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
        assert_int_equal(match(state, "GET", paths[i], &m), ROUTE_NOT_FOUND);
        assert_null(m.rt);
        assert_null(m.allow);
    }
}

static void test_empty_segments(void **state)
{
    route_match m;
    assert_int_equal(match(state, "GET", "//", &m), ROUTE_NOT_FOUND);
    assert_int_equal(match(state, "GET", "//aanbod", &m), ROUTE_NOT_FOUND);
    assert_int_equal(match(state, "GET", "/aanbod//nieuw", &m), ROUTE_NOT_FOUND);
    assert_int_equal(match(state, "GET", "/static//x", &m), ROUTE_NOT_FOUND);
}

/* Decision: one trailing slash does not match; only "/" itself ends in '/'. */
static void test_trailing_slash(void **state)
{
    route_match m;
    assert_int_equal(match(state, "GET", "/aanbod/", &m), ROUTE_NOT_FOUND);
    assert_int_equal(match(state, "GET", "/aanbod/nieuw/", &m), ROUTE_NOT_FOUND);
    assert_int_equal(match(state, "GET", "/static/css/", &m), ROUTE_NOT_FOUND);
    assert_int_equal(match(state, "GET", "/", &m), ROUTE_FOUND);
}

static void test_bad_percent(void **state)
{
    route_match m;
    const char *paths[] = {"/aanbod/%zz",    "/aanbod/%4",        "/aanbod/%",   "/aanbod/a%00b",
                           "/aanbod/%C0%AF", "/aanbod/%ED%A0%80", "/aanbod/\xff"};
    for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++)
        assert_int_equal(match(state, "GET", paths[i], &m), ROUTE_NOT_FOUND);
}

static void test_bad_method(void **state)
{
    route_match m;
    assert_int_equal(match(state, "DELETE", "/aanbod", &m), ROUTE_BAD_METHOD);
    assert_null(m.rt);
    assert_string_equal(m.allow, "GET, HEAD");
    assert_int_equal(match(state, "GET", "/inloggen", &m), ROUTE_BAD_METHOD);
    assert_string_equal(m.allow, "POST");
    assert_int_equal(match(state, "HEAD", "/inloggen", &m), ROUTE_BAD_METHOD);
    assert_string_equal(m.allow, "POST");
    assert_int_equal(match(state, "PUT", "/aanbod/x", &m), ROUTE_BAD_METHOD);
    assert_string_equal(m.allow, "GET, HEAD, POST");
    /* methods are case-sensitive */
    assert_int_equal(match(state, "get", "/aanbod", &m), ROUTE_BAD_METHOD);
}

static void test_head_as_get(void **state)
{
    route_match m;
    assert_int_equal(match(state, "HEAD", "/aanbod", &m), ROUTE_FOUND);
    assert_ptr_equal(m.rt, &r_aanbod);
    assert_int_equal(match(state, "HEAD", "/aanbod/x", &m), ROUTE_FOUND);
    assert_ptr_equal(m.rt, &r_slug);
}

/* A page and its downloads share the parameter: ":nummer" and
 * ":nummer.pdf". */
static void test_param_suffix(void **state)
{
    (void)state;
    arena *a = arena_new(0);
    router *r = router_new();
    route page = {"GET", "/f/:nummer", h_dummy, NULL, 0};
    route pdf = {"GET", "/f/:nummer.pdf", h_dummy, NULL, 0};
    route xml = {"GET", "/f/:nummer.xml", h_dummy, NULL, 0};
    route lit = {"GET", "/f/overzicht.pdf", h_dummy, NULL, 0};
    route deep = {"GET", "/g/:id.tar.gz/x", h_dummy, NULL, 0};
    /* added page first: the suffix still wins, not the order */
    assert_int_equal(router_add(r, &page), 0);
    assert_int_equal(router_add(r, &pdf), 0);
    assert_int_equal(router_add(r, &xml), 0);
    assert_int_equal(router_add(r, &lit), 0);
    assert_int_equal(router_add(r, &deep), 0);
    route_match m;
    assert_int_equal(router_match(r, a, "GET", "/f/2026-000001.pdf", &m), ROUTE_FOUND);
    assert_ptr_equal(m.rt, &pdf);
    assert_string_equal(kv_get(&m.params, "nummer"), "2026-000001");
    assert_int_equal(router_match(r, a, "GET", "/f/2026-000001.xml", &m), ROUTE_FOUND);
    assert_ptr_equal(m.rt, &xml);
    assert_string_equal(kv_get(&m.params, "nummer"), "2026-000001");
    assert_int_equal(router_match(r, a, "GET", "/f/2026-000001", &m), ROUTE_FOUND);
    assert_ptr_equal(m.rt, &page);
    assert_string_equal(kv_get(&m.params, "nummer"), "2026-000001");
    /* an ending the routes do not know is the plain parameter's */
    assert_int_equal(router_match(r, a, "GET", "/f/2026-000001.txt", &m), ROUTE_FOUND);
    assert_ptr_equal(m.rt, &page);
    assert_string_equal(kv_get(&m.params, "nummer"), "2026-000001.txt");
    /* nothing before the suffix: not the suffix route */
    assert_int_equal(router_match(r, a, "GET", "/f/.pdf", &m), ROUTE_FOUND);
    assert_ptr_equal(m.rt, &page);
    assert_string_equal(kv_get(&m.params, "nummer"), ".pdf");
    /* a literal still wins */
    assert_int_equal(router_match(r, a, "GET", "/f/overzicht.pdf", &m), ROUTE_FOUND);
    assert_ptr_equal(m.rt, &lit);
    /* decoded first, so an encoded dot is the same */
    assert_int_equal(router_match(r, a, "GET", "/f/x%2Epdf", &m), ROUTE_FOUND);
    assert_ptr_equal(m.rt, &pdf);
    assert_string_equal(kv_get(&m.params, "nummer"), "x");
    /* the suffix is everything after the first dot of the pattern */
    assert_int_equal(router_match(r, a, "GET", "/g/a.b.tar.gz/x", &m), ROUTE_FOUND);
    assert_string_equal(kv_get(&m.params, "id"), "a.b");
    assert_int_equal(router_match(r, a, "GET", "/g/a.gz/x", &m), ROUTE_NOT_FOUND);
    /* the same shape twice is refused; another suffix is another route */
    route again = {"GET", "/f/:n.pdf", h_dummy, NULL, 0};
    assert_int_equal(router_add(r, &again), -1);
    route bad = {"GET", "/h/:x.", h_dummy, NULL, 0};
    route noname = {"GET", "/h/:.pdf", h_dummy, NULL, 0};
    router *r2 = router_new();
    assert_int_equal(router_add(r2, &bad), -1);
    assert_int_equal(router_add(r2, &noname), -1);
    router_free(r2);
    router_free(r);
    arena_free(a);
}

static void test_bad_patterns(void **state)
{
    (void)state;
    router *r = router_new();
    const char *bad[] = {"",         "aanbod", "/a//b", "/a/",    "//",
                         "/*rest/x", "/:",     "/*",    "/:a/:a", "/:a/*a"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        route rt = {"GET", bad[i], h_dummy, NULL, 0};
        assert_int_equal(router_add(r, &rt), -1);
    }
    route no_method = {NULL, "/x", h_dummy, NULL, 0};
    assert_int_equal(router_add(r, &no_method), -1);
    assert_int_equal(router_add(r, NULL), -1);
    router_free(r);
    router_free(NULL);
}

static void test_duplicate_routes_refused(void **state)
{
    (void)state;
    router *r = router_new();
    route a = {"GET", "/x/:id", h_dummy, NULL, 0};
    route same_shape = {"GET", "/x/:slug", h_dummy, NULL, 0};
    route other_method = {"POST", "/x/:id", h_dummy, NULL, 0};
    route literal = {"GET", "/x/nieuw", h_dummy, NULL, 0};
    route odd_method = {"DELETE", "/y", h_dummy, NULL, 0};
    route no_handler = {"GET", "/z", NULL, NULL, 0};
    assert_null(router_error(r));
    assert_int_equal(router_add(r, &a), 0);
    assert_int_equal(router_add(r, &other_method), 0);
    assert_int_equal(router_add(r, &literal), 0);
    assert_int_equal(router_add(r, &same_shape), -1);
    assert_string_equal(router_error(r), "dubbele route: GET /x/:slug");
    assert_int_equal(router_add(r, &a), -1);
    assert_int_equal(router_add(r, &odd_method), -1);
    assert_int_equal(router_add(r, &no_handler), -1);
    /* the first problem is the one reported */
    assert_string_equal(router_error(r), "dubbele route: GET /x/:slug");
    assert_ptr_equal(router_route_at(r, 0), &a);
    assert_ptr_equal(router_route_at(r, 2), &literal);
    assert_null(router_route_at(r, 3));
    router_free(r);

    arena *ar = arena_new(0);
    assert_string_equal(route_flag_names(ar, 0), "-");
    assert_string_equal(route_flag_names(ar, RF_ORG | RF_LOGIN | RF_NO_LOG_QUERY),
                        "login,org,secret-query");
    assert_string_equal(route_flag_names(ar, RF_STAFF), "staff");
    arena_free(ar);
}

static void test_many_routes(void **state)
{
    (void)state;
    /* grows past the initial table size */
    static route rts[40];
    static char pats[40][16];
    router *r = router_new();
    for (int i = 0; i < 40; i++) {
        snprintf(pats[i], sizeof(pats[i]), "/p%d/:x", i);
        rts[i] = (route){"GET", pats[i], h_dummy, NULL, 0};
        assert_int_equal(router_add(r, &rts[i]), 0);
    }
    arena *a = arena_new(0);
    route_match m;
    assert_int_equal(router_match(r, a, "GET", "/p39/z", &m), ROUTE_FOUND);
    assert_ptr_equal(m.rt, &rts[39]);
    arena_free(a);
    router_free(r);
}

/* ---- input_filter ---- */

static const field_spec spec[] = {
    {"naam", IN_FORM, FK_LINE, 0},
    {"email", IN_FORM, FK_EMAIL, 0},
    {"q", IN_QUERY, FK_LINE, 0},
    {"pagina", IN_QUERY, FK_INT, 0},
    {"id", IN_QUERY | IN_FORM, FK_ID, 0},
    {"datum", IN_FORM, FK_DATE, 0},
    {"maand", IN_FORM, FK_MONTH, 0},
    {"slug", IN_FORM, FK_SLUG, 0},
    {"token", IN_QUERY, FK_TOKEN, 0},
    {"akkoord", IN_FORM, FK_CHECKBOX, 0},
    {"opmerking", IN_FORM, FK_TEXT, 0},
    {"kort", IN_FORM, FK_LINE, 5},
    {NULL, 0, FK_TEXT, 0},
};

static void add(kvlist *l, arena *a, const char *name, const char *value)
{
    kv_add(l, a, name, value, strlen(value));
}

static void test_filter_drops_undeclared(void **state)
{
    fixture *f = *state;
    kvlist query = {0}, form = {0}, in = {0}, err = {0};
    add(&form, f->a, "naam", "Jan");
    add(&form, f->a, "organisatie_id", "7");
    add(&form, f->a, "rol", "beheerder");
    add(&query, f->a, "rol", "beheerder");
    add(&query, f->a, "organisatie_id", "7");
    assert_int_equal(input_filter(f->a, spec, &query, &form, &in, &err), 0);
    assert_int_equal(in.n, 1);
    assert_string_equal(kv_get(&in, "naam"), "Jan");
    assert_null(kv_get(&in, "organisatie_id"));
    assert_null(kv_get(&in, "rol"));
    assert_int_equal(err.n, 0);
}

static void test_filter_where(void **state)
{
    fixture *f = *state;
    kvlist query = {0}, form = {0}, in = {0}, err = {0};
    add(&query, f->a, "id", "1");
    add(&form, f->a, "id", "2");    /* form wins */
    add(&form, f->a, "q", "zoek");  /* q is query-only */
    add(&query, f->a, "naam", "x"); /* naam is form-only */
    add(&query, f->a, "token", "abc_DEF-1");
    assert_int_equal(input_filter(f->a, spec, &query, &form, &in, &err), 0);
    assert_int_equal(in.n, 2);
    assert_string_equal(kv_get(&in, "id"), "2");
    assert_string_equal(kv_get(&in, "token"), "abc_DEF-1");
    assert_null(kv_get(&in, "q"));
    assert_null(kv_get(&in, "naam"));
    /* NULL lists are empty lists */
    kvlist in2 = {0}, err2 = {0};
    assert_int_equal(input_filter(f->a, spec, &query, NULL, &in2, &err2), 0);
    assert_string_equal(kv_get(&in2, "id"), "1");
    assert_int_equal(input_filter(f->a, spec, NULL, NULL, &in2, &err2), 0);
    assert_int_equal(input_filter(f->a, NULL, &query, &form, &in2, &err2), 0);
}

/* A checkbox per row: every ticked value is kept and checked; a field not
 * declared repeated keeps only the first. */
static void test_filter_repeated(void **state)
{
    fixture *f = *state;
    static const field_spec rspec[] = {
        {"inschrijving", IN_FORM | IN_REPEATED, FK_ID, 20},
        {"naam", IN_FORM, FK_LINE, 0},
        {NULL, 0, FK_TEXT, 0},
    };
    kvlist query = {0}, form = {0}, in = {0}, err = {0};
    add(&form, f->a, "inschrijving", "12");
    add(&form, f->a, "naam", "Jan");
    add(&form, f->a, "inschrijving", " 7 ");
    add(&form, f->a, "naam", "Piet");
    add(&form, f->a, "inschrijving", "x1");
    add(&query, f->a, "inschrijving", "99"); /* form only */
    assert_int_equal(input_filter(f->a, rspec, &query, &form, &in, &err), 1);
    assert_string_equal(kv_get(&err, "inschrijving"), "Vul een geldig getal in.");
    assert_int_equal(in.n, 3);
    assert_string_equal(in.v[0].name, "inschrijving");
    assert_string_equal(in.v[0].value, "12");
    assert_string_equal(in.v[1].value, "7");
    assert_string_equal(in.v[2].name, "naam");
    assert_string_equal(in.v[2].value, "Jan");
}

static void test_filter_trim_and_empty(void **state)
{
    fixture *f = *state;
    kvlist form = {0}, query = {0}, in = {0}, err = {0};
    add(&form, f->a, "naam", "  Jan de Vries\t ");
    add(&form, f->a, "email", " jan@example.nl\r\n");
    add(&form, f->a, "opmerking", "  regel 1\r\nregel 2\n");
    add(&form, f->a, "slug", "   "); /* only whitespace: absent */
    add(&form, f->a, "maand", "");   /* empty: absent */
    add(&query, f->a, "pagina", " -3 ");
    assert_int_equal(input_filter(f->a, spec, &query, &form, &in, &err), 0);
    assert_int_equal(err.n, 0);
    assert_string_equal(kv_get(&in, "naam"), "Jan de Vries");
    assert_string_equal(kv_get(&in, "email"), "jan@example.nl");
    assert_string_equal(kv_get(&in, "opmerking"), "  regel 1\r\nregel 2\n");
    assert_string_equal(kv_get(&in, "pagina"), "-3");
    assert_null(kv_get(&in, "slug"));
    assert_null(kv_get(&in, "maand"));
    assert_int_equal(in.v[0].len, strlen("Jan de Vries"));
}

static void test_filter_too_long(void **state)
{
    fixture *f = *state;
    kvlist form = {0}, in = {0}, err = {0};
    char long_name[202];
    memset(long_name, 'a', 201);
    long_name[201] = '\0';
    add(&form, f->a, "kort", "abcdef");
    add(&form, f->a, "naam", long_name);
    assert_int_equal(input_filter(f->a, spec, NULL, &form, &in, &err), 2);
    assert_int_equal(in.n, 0);
    assert_string_equal(kv_get(&err, "kort"), "Maximaal 5 tekens.");
    assert_string_equal(kv_get(&err, "naam"), "Maximaal 200 tekens.");
    /* the limit applies after trimming; exactly the limit is fine */
    kvlist form2 = {0}, in2 = {0}, err2 = {0};
    add(&form2, f->a, "kort", "  abcde  ");
    long_name[200] = '\0';
    add(&form2, f->a, "naam", long_name);
    assert_int_equal(input_filter(f->a, spec, NULL, &form2, &in2, &err2), 0);
    assert_string_equal(kv_get(&in2, "kort"), "abcde");
}

static void test_filter_errors(void **state)
{
    fixture *f = *state;
    kvlist query = {0}, form = {0}, in = {0}, err = {0};
    add(&form, f->a, "naam", "Jan\nde Vries");
    add(&form, f->a, "email", "jan@");
    add(&form, f->a, "datum", "2023-02-29");
    add(&form, f->a, "maand", "2024-13");
    add(&form, f->a, "slug", "Excel");
    add(&form, f->a, "id", "012");
    add(&query, f->a, "pagina", "1e3");
    add(&query, f->a, "token", "abc=");
    assert_int_equal(input_filter(f->a, spec, &query, &form, &in, &err), 8);
    assert_int_equal(in.n, 0);
    assert_string_equal(kv_get(&err, "naam"), "Gebruik geen regeleinden of stuurtekens.");
    assert_string_equal(kv_get(&err, "email"), "Vul een geldig e-mailadres in.");
    assert_string_equal(kv_get(&err, "datum"), "Deze datum bestaat niet.");
    assert_string_equal(kv_get(&err, "maand"), "Vul een geldige maand in (jjjj-mm).");
    assert_string_equal(kv_get(&err, "slug"), "Ongeldige waarde.");
    assert_string_equal(kv_get(&err, "id"), "Vul een geldig getal in.");
    assert_string_equal(kv_get(&err, "pagina"), "Vul een geldig getal in.");
    assert_string_equal(kv_get(&err, "token"), "Ongeldige waarde.");
}

static void test_filter_checkbox(void **state)
{
    fixture *f = *state;
    kvlist form = {0}, in = {0}, err = {0};
    add(&form, f->a, "akkoord", "on");
    assert_int_equal(input_filter(f->a, spec, NULL, &form, &in, &err), 0);
    assert_string_equal(kv_get(&in, "akkoord"), "1");
    kvlist none = {0}, in2 = {0};
    assert_int_equal(input_filter(f->a, spec, NULL, &none, &in2, &err), 0);
    assert_null(kv_get(&in2, "akkoord"));
}

static const char *filter_date(fixture *f, const char *value, kvlist *err)
{
    kvlist form = {0}, in = {0};
    add(&form, f->a, "datum", value);
    input_filter(f->a, spec, NULL, &form, &in, err);
    return kv_get(&in, "datum");
}

static void test_filter_dutch_date(void **state)
{
    fixture *f = *state;
    kvlist err = {0};
    assert_string_equal(filter_date(f, "29-02-2024", &err), "2024-02-29");
    assert_string_equal(filter_date(f, "1-2-2024", &err), "2024-02-01");
    assert_string_equal(filter_date(f, " 31/12/1999 ", &err), "1999-12-31");
    assert_string_equal(filter_date(f, "05.06.2025", &err), "2025-06-05");
    assert_string_equal(filter_date(f, "2024-02-29", &err), "2024-02-29");
    assert_int_equal(err.n, 0);
    const char *bad[] = {"1-2-24",     "01-02/2024", "001-02-2024",
                         "29-02-2O24", "2024-2-29",  "-1-2-2024"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        kvlist e = {0};
        assert_null(filter_date(f, bad[i], &e));
        assert_int_equal(e.n, 1);
        assert_string_equal(e.v[0].value, "Vul een geldige datum in (dd-mm-jjjj).");
    }
}

/* Typed as a date, but not a day on the calendar: the message says so. */
static void test_filter_date_that_does_not_exist(void **state)
{
    fixture *f = *state;
    const char *none[] = {"31-02-1980", "29-02-2023", "31-04-2024",
                          "00-01-2024", "01-13-2024", "2023-02-29"};
    for (size_t i = 0; i < sizeof(none) / sizeof(none[0]); i++) {
        kvlist e = {0};
        assert_null(filter_date(f, none[i], &e));
        assert_int_equal(e.n, 1);
        assert_string_equal(e.v[0].value, "Deze datum bestaat niet.");
    }
}

/* ---- field_valid ---- */

static int valid(field_kind k, const char *v)
{
    return field_valid(k, v, strlen(v));
}

static void test_valid_text_line(void **state)
{
    (void)state;
    assert_true(valid(FK_TEXT, "regel 1\r\nregel 2\t"));
    assert_true(valid(FK_TEXT, "caf\xc3\xa9"));
    assert_false(valid(FK_TEXT, "\xc0\xaf"));
    assert_false(field_valid(FK_TEXT, "a\0b", 3));
    assert_true(valid(FK_LINE, "Jan de Vries \xe2\x82\xac"));
    assert_false(valid(FK_LINE, "a\nb"));
    assert_false(valid(FK_LINE, "a\rb"));
    assert_false(valid(FK_LINE, "a\tb"));
    assert_false(valid(FK_LINE, "a\x7f"));
    assert_false(valid(FK_LINE, "a\xc2\x85"));     /* U+0085 NEL */
    assert_false(valid(FK_LINE, "a\xe2\x80\xa8")); /* U+2028 */
    assert_false(valid(FK_LINE, "\xed\xa0\x80"));
}

static void test_valid_id_int(void **state)
{
    (void)state;
    assert_true(valid(FK_ID, "1"));
    assert_true(valid(FK_ID, "9007199254740991")); /* 2^53 - 1 */
    assert_false(valid(FK_ID, "9007199254740992"));
    assert_false(valid(FK_ID, "99999999999999999999999"));
    assert_false(valid(FK_ID, "0"));
    assert_false(valid(FK_ID, "007"));
    assert_false(valid(FK_ID, "+1"));
    assert_false(valid(FK_ID, "-1"));
    assert_false(valid(FK_ID, ""));
    assert_false(valid(FK_ID, "1a"));
    assert_false(valid(FK_ID, " 1"));
    assert_true(valid(FK_INT, "0"));
    assert_true(valid(FK_INT, "-42"));
    assert_true(valid(FK_INT, "-9007199254740991"));
    assert_false(valid(FK_INT, "-9007199254740992"));
    assert_false(valid(FK_INT, "-"));
    assert_false(valid(FK_INT, "+5"));
    assert_false(valid(FK_INT, "--5"));
    assert_false(valid(FK_INT, "1.5"));
}

static void test_valid_email(void **state)
{
    (void)state;
    assert_true(valid(FK_EMAIL, "jan@example.nl"));
    assert_true(valid(FK_EMAIL, "jan.de.vries+cursus@mail.example.co.uk"));
    const char *bad[] = {"",
                         "jan",
                         "@example.nl",
                         "jan@",
                         "jan@example",
                         "jan@@example.nl",
                         "jan@a@example.nl",
                         "jan@.example.nl",
                         "jan@example.nl.",
                         "jan@example..nl",
                         "jan de vries@example.nl",
                         "jan@exa mple.nl",
                         "jan\r\n@example.nl",
                         "jan@example.nl\nBcc: x@y.nl",
                         "<jan@example.nl>",
                         "jan,piet@example.nl"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        assert_false(valid(FK_EMAIL, bad[i]));
    char big[260];
    memset(big, 'a', sizeof(big));
    memcpy(big + 254 - 7, "@ex.com", 7); /* exactly 254 bytes */
    assert_true(field_valid(FK_EMAIL, big, 254));
    memcpy(big + 255 - 7, "@ex.com", 7);
    assert_false(field_valid(FK_EMAIL, big, 255));
}

static void test_valid_date_month(void **state)
{
    (void)state;
    assert_true(valid(FK_DATE, "2024-02-29"));
    assert_false(valid(FK_DATE, "2023-02-29"));
    assert_true(valid(FK_DATE, "2000-02-29"));
    assert_false(valid(FK_DATE, "1900-02-29"));
    assert_true(valid(FK_DATE, "2024-12-31"));
    assert_false(valid(FK_DATE, "2024-04-31"));
    assert_false(valid(FK_DATE, "2024-00-10"));
    assert_false(valid(FK_DATE, "2024-01-00"));
    assert_false(valid(FK_DATE, "0000-01-01"));
    assert_false(valid(FK_DATE, "2024-1-01"));
    assert_false(valid(FK_DATE, "2024/01/01"));
    assert_false(valid(FK_DATE, "29-02-2024")); /* only input_filter converts */
    assert_false(valid(FK_DATE, "2024-01-011"));
    assert_true(valid(FK_MONTH, "2024-01"));
    assert_true(valid(FK_MONTH, "2024-12"));
    assert_false(valid(FK_MONTH, "2024-13"));
    assert_false(valid(FK_MONTH, "2024-00"));
    assert_false(valid(FK_MONTH, "2024-1"));
    assert_false(valid(FK_MONTH, "24-01"));
    assert_false(valid(FK_MONTH, "2024-01-01"));
}

static void test_valid_slug_token_checkbox(void **state)
{
    (void)state;
    assert_true(valid(FK_SLUG, "excel-basis-2"));
    assert_false(valid(FK_SLUG, "Excel"));
    assert_false(valid(FK_SLUG, "a_b"));
    assert_false(valid(FK_SLUG, "a b"));
    assert_false(valid(FK_SLUG, ""));
    assert_false(valid(FK_SLUG, "caf\xc3\xa9"));
    assert_true(valid(FK_TOKEN, "aZ09_-"));
    assert_false(valid(FK_TOKEN, "abc="));
    assert_false(valid(FK_TOKEN, "a+b"));
    assert_false(valid(FK_TOKEN, ""));
    assert_true(valid(FK_CHECKBOX, "on"));
    assert_true(valid(FK_CHECKBOX, ""));
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_literal_routes),
        T(test_literal_beats_param),
        T(test_params_decoded),
        T(test_rest),
        T(test_param_beats_rest),
        T(test_not_found),
        T(test_empty_segments),
        T(test_trailing_slash),
        T(test_bad_percent),
        T(test_bad_method),
        T(test_head_as_get),
        T(test_param_suffix),
        T(test_bad_patterns),
        T(test_duplicate_routes_refused),
        T(test_many_routes),
        T(test_filter_drops_undeclared),
        T(test_filter_where),
        T(test_filter_repeated),
        T(test_filter_trim_and_empty),
        T(test_filter_too_long),
        T(test_filter_errors),
        T(test_filter_checkbox),
        T(test_filter_dutch_date),
        T(test_filter_date_that_does_not_exist),
        T(test_valid_text_line),
        T(test_valid_id_int),
        T(test_valid_email),
        T(test_valid_date_month),
        T(test_valid_slug_token_checkbox),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
