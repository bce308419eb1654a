/* router.c - see router.h.
 *
 * Path rules, beyond what router.h states:
 * - The path must start with '/'. "/" itself has no segments.
 * - Empty segments never match: "//x", "/aanbod//x" and a trailing slash
 *   ("/aanbod/") are all 404. The only path ending in '/' that matches is
 *   "/" (pattern "/"). We do not redirect "/aanbod/" to "/aanbod": one URL
 *   per page, and no handler sees a path it was not written for.
 * - Segments that decode to "." or ".." are 404: browsers resolve them
 *   before sending, so only hand-made requests carry them, and a "*rest"
 *   capture must never be able to climb out of its directory.
 * - In a "*rest" capture a segment that decodes to something containing
 *   '/' ("a%2Fb") is 404, because after joining it could not be told apart
 *   from two segments. A single ":param" may contain a decoded '/'.
 * - A parameter may end in a literal suffix, ":nummer.pdf": the segment
 *   must end in it with at least one character before, and the parameter
 *   gets what comes before ("2026-000001" of "2026-000001.pdf"). So a
 *   page and its downloads can share a parameter: the suffix is part of the
 *   pattern, never something a handler peels off itself.
 * - Among the routes that match path and method the most specific wins,
 *   comparing segment by segment: literal over ":param" with a suffix over
 *   ":param" over "*rest". Ties go to the route added first. If routes match the path but none the
 *   method, the result is 405 with their methods in `allow`.
 */
#include "http/router.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/email.h"
#include "core/utf8.h"
#include "http/form.h"

enum seg_kind { SEG_REST = 0, SEG_PARAM = 1, SEG_LITERAL = 2 };

typedef struct seg {
    enum seg_kind kind;
    const char *text;   /* literal text, or the parameter name */
    const char *suffix; /* a parameter's literal ending after its dot ("pdf"), or NULL */
} seg;

typedef struct compiled {
    const route *rt;
    char *storage; /* copy of the pattern that the segments point into */
    seg *segs;
    size_t nsegs;
} compiled;

struct router {
    compiled *v;
    size_t n, cap;
    char err[240]; /* the first route that could not be added */
};

router *router_new(void)
{
    return calloc(1, sizeof(router));
}

void router_free(router *r)
{
    if (!r) return;
    for (size_t i = 0; i < r->n; i++) {
        free(r->v[i].storage);
        free(r->v[i].segs);
    }
    free(r->v);
    free(r);
}

/* ---- adding routes ---- */

static size_t count_char(const char *s, char c)
{
    size_t n = 0;
    for (; *s; s++)
        if (*s == c) n++;
    return n;
}

static int name_taken(const seg *segs, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (segs[i].kind != SEG_LITERAL && strcmp(segs[i].text, name) == 0) return 1;
    return 0;
}

/* Splits the pattern (in place, in c->storage) into segments. */
static int compile_pattern(compiled *c)
{
    char *p = c->storage;
    if (p[0] != '/') return -1;
    if (p[1] == '\0') return 0; /* "/" */
    p++;
    for (;;) {
        char *slash = strchr(p, '/');
        if (slash) *slash = '\0';
        if (*p == '\0') return -1; /* empty segment or trailing slash */
        if (c->nsegs && c->segs[c->nsegs - 1].kind == SEG_REST) return -1;
        seg s = {SEG_LITERAL, p, NULL};
        if (*p == ':' || *p == '*') {
            s.kind = *p == ':' ? SEG_PARAM : SEG_REST;
            s.text = p + 1;
            char *dot = s.kind == SEG_PARAM ? strchr(p + 1, '.') : NULL;
            if (dot) {
                if (dot[1] == '\0') return -1; /* ":x." has no suffix */
                *dot = '\0';
                s.suffix = dot + 1;
            }
            if (*s.text == '\0' || name_taken(c->segs, c->nsegs, s.text)) return -1;
        }
        c->segs[c->nsegs++] = s;
        if (!slash) return 0;
        p = slash + 1;
    }
}

static int same_suffix(const seg *a, const seg *b)
{
    if (!a->suffix || !b->suffix) return a->suffix == b->suffix;
    return strcmp(a->suffix, b->suffix) == 0;
}

/* Same method and same segments (parameters match any name). */
static int same_route(const compiled *a, const compiled *b)
{
    if (strcmp(a->rt->method, b->rt->method) != 0 || a->nsegs != b->nsegs) return 0;
    for (size_t i = 0; i < a->nsegs; i++) {
        if (a->segs[i].kind != b->segs[i].kind) return 0;
        if (a->segs[i].kind == SEG_LITERAL && strcmp(a->segs[i].text, b->segs[i].text) != 0)
            return 0;
        if (!same_suffix(&a->segs[i], &b->segs[i])) return 0;
    }
    return 1;
}

static int refuse(router *r, const route *rt, const char *why)
{
    if (r && !r->err[0])
        snprintf(r->err, sizeof r->err, "%s: %s %s", why, rt && rt->method ? rt->method : "?",
                 rt && rt->pattern ? rt->pattern : "?");
    return -1;
}

int router_refuse(router *r, const char *why)
{
    if (r && !r->err[0]) snprintf(r->err, sizeof r->err, "%s", why);
    return -1;
}

const char *router_error(const router *r)
{
    return r->err[0] ? r->err : NULL;
}

const route *router_route_at(const router *r, size_t i)
{
    return i < r->n ? r->v[i].rt : NULL;
}

const char *route_flag_names(arena *a, unsigned flags)
{
    static const struct {
        unsigned flag;
        const char *name;
    } names[] = {
        {RF_LOGIN, "login"},         {RF_ORG, "org"},
        {RF_BEHEERDER, "beheerder"}, {RF_STAFF, "staff"},
        {RF_NO_SESSION, "public"},   {RF_NO_CSRF, "no-csrf"},
        {RF_UPLOAD, "upload"},       {RF_NO_LOG_QUERY, "secret-query"},
        {RF_PAGE_CACHE, "cached"},   {RF_MANY_FIELDS, "many-fields"},
    };
    buf b;
    buf_init(&b, a, 64);
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        if (!(flags & names[i].flag)) continue;
        if (b.len) buf_putc(&b, ',');
        buf_puts(&b, names[i].name);
    }
    return b.len ? b.data : "-";
}

int router_add(router *r, const route *rt)
{
    if (!r || !rt || !rt->method || !rt->pattern || !rt->fn ||
        (strcmp(rt->method, "GET") != 0 && strcmp(rt->method, "POST") != 0))
        return refuse(r, rt, "route ongeldig");
    if (r->n == r->cap) {
        size_t cap = r->cap ? r->cap * 2 : 16;
        compiled *v = realloc(r->v, cap * sizeof(*v));
        if (!v) return -1;
        r->v = v;
        r->cap = cap;
    }
    compiled c = {rt, strdup(rt->pattern), NULL, 0};
    c.segs = malloc((count_char(rt->pattern, '/') + 1) * sizeof(seg));
    if (!c.storage || !c.segs || compile_pattern(&c) != 0) {
        free(c.storage);
        free(c.segs);
        return refuse(r, rt, "route ongeldig");
    }
    for (size_t i = 0; i < r->n; i++) {
        if (!same_route(&r->v[i], &c)) continue;
        free(c.storage);
        free(c.segs);
        return refuse(r, rt, "dubbele route");
    }
    r->v[r->n++] = c;
    return 0;
}

/* ---- matching ---- */

typedef struct path_segs {
    char **v; /* decoded */
    size_t n;
} path_segs;

static int is_dot_segment(const char *s)
{
    return strcmp(s, ".") == 0 || strcmp(s, "..") == 0;
}

/* Splits and decodes a raw path; -1 if it cannot match any route. */
static int split_path(arena *a, const char *path, path_segs *ps)
{
    ps->n = 0;
    ps->v = NULL;
    if (path[0] != '/') return -1;
    if (path[1] == '\0') return 0;
    ps->v = arena_alloc(a, (count_char(path, '/') + 1) * sizeof(char *));
    const char *p = path + 1;
    for (;;) {
        const char *slash = strchr(p, '/');
        size_t n = slash ? (size_t)(slash - p) : strlen(p);
        if (n == 0) return -1;
        char *d;
        if (form_url_decode(a, p, n, 0, &d, NULL) != FORM_OK) return -1;
        if (is_dot_segment(d)) return -1;
        ps->v[ps->n++] = d;
        if (!slash) return 0;
        p = slash + 1;
    }
}

/* The length of ".suffix" when v ends in it after at least one character,
 * else 0. */
static size_t suffix_len(const seg *s, const char *v)
{
    size_t n = strlen(v), k = strlen(s->suffix);
    if (n < k + 2 || v[n - k - 1] != '.' || strcmp(v + n - k, s->suffix) != 0) return 0;
    return k + 1;
}

static int path_matches(const compiled *c, const path_segs *ps)
{
    for (size_t i = 0; i < c->nsegs; i++) {
        const seg *s = &c->segs[i];
        if (i >= ps->n) return 0;
        if (s->kind == SEG_REST) {
            for (size_t j = i; j < ps->n; j++)
                if (strchr(ps->v[j], '/')) return 0;
            return 1;
        }
        if (s->kind == SEG_LITERAL && strcmp(s->text, ps->v[i]) != 0) return 0;
        if (s->kind == SEG_PARAM && s->suffix && !suffix_len(s, ps->v[i])) return 0;
    }
    return c->nsegs == ps->n;
}

/* HEAD is answered by GET handlers (the server drops the body). */
static int method_matches(const char *route_method, const char *method)
{
    if (strcmp(route_method, method) == 0) return 1;
    return strcmp(method, "HEAD") == 0 && strcmp(route_method, "GET") == 0;
}

/* 1 if a is more specific than b for the same path. */
static int more_specific(const compiled *a, const compiled *b)
{
    for (size_t i = 0; i < a->nsegs && i < b->nsegs; i++) {
        if (a->segs[i].kind != b->segs[i].kind) return a->segs[i].kind > b->segs[i].kind;
        if (a->segs[i].kind == SEG_REST) break;
        /* both parameters: one with a suffix says more */
        if (!a->segs[i].suffix != !b->segs[i].suffix) return a->segs[i].suffix != NULL;
    }
    return 0;
}

static void bind_params(arena *a, const compiled *c, const path_segs *ps, kvlist *params)
{
    for (size_t i = 0; i < c->nsegs; i++) {
        const seg *s = &c->segs[i];
        if (s->kind == SEG_PARAM) {
            if (s->suffix) /* a copy: the value ends before the suffix */
                kv_add(params, a, s->text, ps->v[i], strlen(ps->v[i]) - suffix_len(s, ps->v[i]));
            else
                kv_add_ref(params, a, arena_strdup(a, s->text), ps->v[i], strlen(ps->v[i]));
        } else if (s->kind == SEG_REST) {
            buf b;
            buf_init(&b, a, 64);
            for (size_t j = i; j < ps->n; j++) {
                if (j > i) buf_putc(&b, '/');
                buf_puts(&b, ps->v[j]);
            }
            kv_add_ref(params, a, arena_strdup(a, s->text), b.data, b.len);
        }
    }
}

/* Methods in alphabetical order so "GET, HEAD, POST" reads the same for
 * every path. */
static int cmp_str(const void *x, const void *y)
{
    return strcmp(*(const char *const *)x, *(const char *const *)y);
}

static void add_method(const char **list, size_t *n, const char *m)
{
    for (size_t i = 0; i < *n; i++)
        if (strcmp(list[i], m) == 0) return;
    list[(*n)++] = m;
}

static const char *allow_header(arena *a, const router *r, const path_segs *ps)
{
    /* each route adds at most two methods (GET brings HEAD) */
    const char **list = arena_alloc(a, (2 * r->n + 1) * sizeof(char *));
    size_t n = 0;
    for (size_t i = 0; i < r->n; i++) {
        if (!path_matches(&r->v[i], ps)) continue;
        add_method(list, &n, r->v[i].rt->method);
        if (strcmp(r->v[i].rt->method, "GET") == 0) add_method(list, &n, "HEAD");
    }
    qsort(list, n, sizeof(*list), cmp_str);
    buf b;
    buf_init(&b, a, 32);
    for (size_t i = 0; i < n; i++) {
        if (i) buf_puts(&b, ", ");
        buf_puts(&b, list[i]);
    }
    return b.data;
}

int router_match(const router *r, arena *a, const char *method, const char *path, route_match *m)
{
    memset(m, 0, sizeof(*m));
    path_segs ps;
    if (!path || !method || split_path(a, path, &ps) != 0) return ROUTE_NOT_FOUND;
    const compiled *best = NULL;
    int path_seen = 0;
    for (size_t i = 0; i < r->n; i++) {
        const compiled *c = &r->v[i];
        if (!path_matches(c, &ps)) continue;
        path_seen = 1;
        if (!method_matches(c->rt->method, method)) continue;
        if (!best || more_specific(c, best)) best = c;
    }
    if (best) {
        m->rt = best->rt;
        bind_params(a, best, &ps, &m->params);
        return ROUTE_FOUND;
    }
    if (!path_seen) return ROUTE_NOT_FOUND;
    m->allow = allow_header(a, r, &ps);
    return ROUTE_BAD_METHOD;
}

/* ---- field checks ---- */

/* Valid UTF-8 without NUL; with no_controls also without C0/C1 controls,
 * DEL and the Unicode line and paragraph separators. */
static int text_valid(const char *v, size_t len, int no_controls)
{
    const unsigned char *p = (const unsigned char *)v;
    size_t i = 0;
    while (i < len) {
        size_t k;
        long cp = utf8_next(p + i, len - i, &k);
        if (cp <= 0) return 0;
        if (no_controls &&
            (cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || cp == 0x2028 || cp == 0x2029))
            return 0;
        i += k;
    }
    return 1;
}

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* 1 if v[0..len) is one or more digits with a value below 2^53. */
static int digits_below_2_53(const char *v, size_t len)
{
    if (len == 0) return 0;
    uint64_t n = 0;
    for (size_t i = 0; i < len; i++) {
        if (!is_digit(v[i])) return 0;
        n = n * 10 + (uint64_t)(v[i] - '0');
        if (n >= (UINT64_C(1) << 53)) return 0;
    }
    return 1;
}

static int id_valid(const char *v, size_t len)
{
    return len > 0 && v[0] != '0' && digits_below_2_53(v, len);
}

static int int_valid(const char *v, size_t len)
{
    if (len > 0 && v[0] == '-') return digits_below_2_53(v + 1, len - 1);
    return digits_below_2_53(v, len);
}

/* Reads exactly n digits; -1 if one is not a digit. */
static int read_num(const char *v, size_t n)
{
    int x = 0;
    for (size_t i = 0; i < n; i++) {
        if (!is_digit(v[i])) return -1;
        x = x * 10 + (v[i] - '0');
    }
    return x;
}

static int days_in_month(int y, int m)
{
    static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 && leap ? 29 : days[m - 1];
}

static int month_valid(const char *v, size_t len)
{
    if (len != 7 || v[4] != '-') return 0;
    int y = read_num(v, 4), m = read_num(v + 5, 2);
    return y >= 1 && m >= 1 && m <= 12;
}

static int date_valid(const char *v, size_t len)
{
    if (len != 10 || v[7] != '-' || !month_valid(v, 7)) return 0;
    int y = read_num(v, 4), m = read_num(v + 5, 2), d = read_num(v + 8, 2);
    return d >= 1 && d <= days_in_month(y, m);
}

static int chars_in(const char *v, size_t len, int allow_upper_underscore)
{
    if (len == 0) return 0;
    for (size_t i = 0; i < len; i++) {
        char c = v[i];
        int ok = (c >= 'a' && c <= 'z') || is_digit(c) || c == '-';
        if (allow_upper_underscore) ok = ok || (c >= 'A' && c <= 'Z') || c == '_';
        if (!ok) return 0;
    }
    return 1;
}

int field_valid(field_kind k, const char *v, size_t len)
{
    switch (k) {
    case FK_TEXT:
        return text_valid(v, len, 0);
    case FK_LINE:
        return text_valid(v, len, 1);
    case FK_ID:
        return id_valid(v, len);
    case FK_INT:
        return int_valid(v, len);
    case FK_EMAIL:
        /* the one rule for addresses (core/email.h), UTF-8 checked first */
        return text_valid(v, len, 1) && email_valid(v, len);
    case FK_DATE:
        return date_valid(v, len);
    case FK_MONTH:
        return month_valid(v, len);
    case FK_SLUG:
        return chars_in(v, len, 0);
    case FK_CHECKBOX:
        return 1;
    case FK_TOKEN:
        return chars_in(v, len, 1);
    }
    return 0;
}

/* ---- input_filter ---- */

static const kv *find_field(const kvlist *l, const char *name)
{
    if (!l) return NULL;
    for (size_t i = 0; i < l->n; i++)
        if (strcmp(l->v[i].name, name) == 0) return &l->v[i];
    return NULL;
}

static int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/* Digits in v[*i..] up to the separator; 1 or 2 of them. */
static int read_dutch_part(const char *v, size_t len, size_t *i, char sep, int *out)
{
    size_t start = *i;
    while (*i < len && is_digit(v[*i]))
        (*i)++;
    size_t n = *i - start;
    if (n < 1 || n > 2 || *i >= len || v[*i] != sep) return 0;
    *out = read_num(v + start, n);
    (*i)++;
    return 1;
}

/* "d-m-jjjj" / "dd-mm-jjjj" (also with '/' or '.') as "jjjj-mm-dd" in the
 * arena, or NULL if v does not look like that. The result still has to
 * pass date_valid(). */
static char *dutch_date_to_iso(arena *a, const char *v, size_t len)
{
    if (len < 8 || len > 10 || !is_digit(v[0])) return NULL;
    char sep = v[1] == '-' || v[1] == '/' || v[1] == '.' ? v[1] : v[2];
    if (sep != '-' && sep != '/' && sep != '.') return NULL;
    size_t i = 0;
    int d, m;
    if (!read_dutch_part(v, len, &i, sep, &d) || !read_dutch_part(v, len, &i, sep, &m)) return NULL;
    if (len - i != 4 || read_num(v + i, 4) < 0) return NULL;
    return arena_printf(a, "%.4s-%02d-%02d", v + i, m, d);
}

#define MSG_NO_SUCH_DATE "Deze datum bestaat niet."

/* Written as a date (jjjj-mm-dd, after the Dutch form was turned around)
 * but not one on the calendar, such as 31-02-1980: the person typed well
 * and needs to hear that the day itself is wrong. */
static int date_shaped(field_kind k, const char *v, size_t len)
{
    if (k != FK_DATE || len != 10 || v[4] != '-' || v[7] != '-') return 0;
    for (size_t i = 0; i < len; i++)
        if (i != 4 && i != 7 && !is_digit(v[i])) return 0;
    return 1;
}

static const char *error_text(field_kind k)
{
    switch (k) {
    case FK_EMAIL:
        return "Vul een geldig e-mailadres in.";
    case FK_DATE:
        return "Vul een geldige datum in (dd-mm-jjjj).";
    case FK_MONTH:
        return "Vul een geldige maand in (jjjj-mm).";
    case FK_ID:
    case FK_INT:
        return "Vul een geldig getal in.";
    case FK_LINE:
        return "Gebruik geen regeleinden of stuurtekens.";
    default:
        return "Ongeldige waarde.";
    }
}

static void add_error(arena *a, kvlist *errors, const char *name, const char *msg)
{
    kv_add(errors, a, name, msg, strlen(msg));
}

/* Checks one present field; adds it to `in` or its message to `errors`.
 * Returns 1 for an error. */
static int filter_one(arena *a, const field_spec *f, const kv *src, kvlist *in, kvlist *errors)
{
    if (f->kind == FK_CHECKBOX) {
        kv_add(in, a, f->name, "1", 1);
        return 0;
    }
    const char *v = src->value;
    size_t len = src->len;
    if (f->kind != FK_TEXT) {
        size_t lead = 0;
        while (lead < len && is_space(v[lead]))
            lead++;
        v += lead;
        len -= lead;
        while (len && is_space(v[len - 1]))
            len--;
    }
    if (len == 0) return 0; /* absent; "required" is the handler's call */
    size_t max = f->maxlen ? f->maxlen : 200;
    if (len > max) {
        add_error(a, errors, f->name, arena_printf(a, "Maximaal %zu tekens.", max));
        return 1;
    }
    if (f->kind == FK_DATE && !date_valid(v, len)) {
        char *iso = dutch_date_to_iso(a, v, len);
        if (iso) {
            v = iso;
            len = strlen(iso);
        }
    }
    if (!field_valid(f->kind, v, len)) {
        add_error(a, errors, f->name,
                  date_shaped(f->kind, v, len) ? MSG_NO_SUCH_DATE : error_text(f->kind));
        return 1;
    }
    kv_add(in, a, f->name, v, len);
    return 0;
}

int input_filter(arena *a, const field_spec *spec, const kvlist *query, const kvlist *form,
                 kvlist *in, kvlist *errors)
{
    int nerr = 0;
    for (const field_spec *f = spec; f && f->name; f++) {
        if ((f->where & IN_REPEATED) && form) {
            for (size_t i = 0; i < form->n; i++)
                if (strcmp(form->v[i].name, f->name) == 0)
                    nerr += filter_one(a, f, &form->v[i], in, errors);
            continue;
        }
        const kv *src = NULL;
        if (f->where & IN_FORM) src = find_field(form, f->name);
        if (!src && (f->where & IN_QUERY)) src = find_field(query, f->name);
        if (src) nerr += filter_one(a, f, src, in, errors);
    }
    return nerr;
}
