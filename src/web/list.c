/* list.c - see list.h. The cursor codec, reading the list's inputs, the
 * two queries, and the view for partials/list_table.html. */
#include "web/list.h"

#include <sodium.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/config.h"
#include "core/utf8.h"
#include "http/router.h"

#define CURSOR_VERSION 1
#define FLAG_BEFORE 1
#define FLAG_DESC 2
#define SORT_MAX 32
/* version, flags, page (4), id (8), sort length (1), key length (2) */
#define CURSOR_FIXED 17

/* ---- cursor codec ---- */

static void put_be(unsigned char *p, unsigned long long v, int n)
{
    for (int i = n - 1; i >= 0; i--, v >>= 8)
        p[i] = (unsigned char)(v & 0xff);
}

static unsigned long long get_be(const unsigned char *p, int n)
{
    unsigned long long v = 0;
    for (int i = 0; i < n; i++)
        v = v << 8 | p[i];
    return v;
}

static int sort_key_valid(const char *s, size_t n)
{
    if (n == 0 || n > SORT_MAX) return 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_')) return 0;
    }
    return 1;
}

/* Well-formed UTF-8 without NUL (a key the database can take back as a
 * text parameter: PostgreSQL refuses invalid UTF-8 with an error). */
static int key_valid(const char *s, size_t n)
{
    return utf8_valid(s, n) && (n == 0 || !memchr(s, 0, n));
}

char *list_cursor_encode(arena *a, const list_cursor *c)
{
    size_t sn = c->sort ? strlen(c->sort) : 0, kn = c->key ? strlen(c->key) : 0;
    if (!sort_key_valid(c->sort, sn) || kn > LIST_KEY_MAX || c->id <= 0 || c->page < 0 ||
        c->page > LIST_PAGE_MAX || !key_valid(c->key, kn))
        return NULL;
    size_t n = CURSOR_FIXED + sn + kn;
    unsigned char raw[CURSOR_FIXED + SORT_MAX + LIST_KEY_MAX];
    raw[0] = CURSOR_VERSION;
    raw[1] = (unsigned char)((c->before ? FLAG_BEFORE : 0) | (c->desc ? FLAG_DESC : 0));
    put_be(raw + 2, (unsigned long long)c->page, 4);
    put_be(raw + 6, (unsigned long long)c->id, 8);
    raw[14] = (unsigned char)sn;
    memcpy(raw + 15, c->sort, sn);
    put_be(raw + 15 + sn, kn, 2);
    memcpy(raw + 17 + sn, c->key, kn);
    size_t outlen = sodium_base64_ENCODED_LEN(n, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    if (outlen - 1 > LIST_CURSOR_MAX) return NULL;
    char *out = arena_alloc(a, outlen);
    sodium_bin2base64(out, outlen, raw, n, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    return out;
}

int list_cursor_decode(arena *a, const char *s, list_cursor *out)
{
    size_t len = strnlen(s, LIST_CURSOR_MAX + 1);
    if (len == 0 || len > LIST_CURSOR_MAX) return -1;
    unsigned char raw[LIST_CURSOR_MAX];
    size_t n = 0;
    if (sodium_base642bin(raw, sizeof raw, s, len, NULL, &n, NULL,
                          sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 ||
        n < CURSOR_FIXED)
        return -1;
    /* one text per cursor: a second spelling of the same bytes is refused */
    char again[LIST_CURSOR_MAX + 4];
    if (sodium_base64_ENCODED_LEN(n, sodium_base64_VARIANT_URLSAFE_NO_PADDING) > sizeof again)
        return -1;
    sodium_bin2base64(again, sizeof again, raw, n, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    if (strcmp(again, s) != 0) return -1;
    if (raw[0] != CURSOR_VERSION || (raw[1] & ~(FLAG_BEFORE | FLAG_DESC)) != 0) return -1;
    unsigned long long page = get_be(raw + 2, 4), id = get_be(raw + 6, 8);
    size_t sn = raw[14];
    if (page > LIST_PAGE_MAX || id == 0 || id > INT64_MAX || n < CURSOR_FIXED + sn) return -1;
    const char *sort = (const char *)raw + 15;
    size_t kn = (size_t)get_be(raw + 15 + sn, 2);
    if (!sort_key_valid(sort, sn) || kn > LIST_KEY_MAX || n != CURSOR_FIXED + sn + kn ||
        !key_valid((const char *)raw + 17 + sn, kn))
        return -1;
    out->before = raw[1] & FLAG_BEFORE;
    out->desc = (raw[1] & FLAG_DESC) != 0;
    out->page = (long)page;
    out->id = (long long)id;
    out->sort = arena_strndup(a, sort, sn);
    out->key = arena_strndup(a, (const char *)raw + 17 + sn, kn);
    return 0;
}

/* ---- reading the inputs ---- */

static const char bad_cursor[] = "Deze paginalink klopt niet (meer). U ziet de eerste pagina.";

int list_owns_input(const char *name)
{
    static const char *const own[] = {"sorteer", "richting", "aantal", "cursor"};
    for (size_t i = 0; i < sizeof own / sizeof own[0]; i++)
        if (strcmp(own[i], name) == 0) return 1;
    return 0;
}

/* A cursor fits this list when it was made for the same sort and its key
 * is the kind of value the sort column holds. */
static int cursor_fits(const list_page *l, const list_cursor *c)
{
    const list_col *col = &l->spec->cols[l->col];
    if (strcmp(c->sort, col->key) != 0 || c->desc != l->desc) return 0;
    return !col->is_int || field_valid(FK_INT, c->key, strlen(c->key));
}

static void read_cursor(http_req *rq, list_page *l, const char *text)
{
    list_cursor c;
    if (list_cursor_decode(rq->a, text, &c) != 0 || !cursor_fits(l, &c)) {
        l->notice = bad_cursor;
        return;
    }
    l->cursor = 1;
    l->page = c.page;
    l->ks.before = c.before;
    l->ks.key = c.key;
    l->ks.id = arena_printf(rq->a, "%lld", c.id);
}

static long clamp(long v, long lo, long hi)
{
    return v < lo ? lo : v > hi ? hi : v;
}

void list_read(http_req *rq, const list_spec *s, list_page *l)
{
    memset(l, 0, sizeof *l);
    l->spec = s;
    l->col = s->sort_col;
    const char *sort = req_in(rq, "sorteer");
    for (int i = 0; sort && i < s->ncols; i++)
        if (s->cols[i].key && s->cols[i].expr && strcmp(s->cols[i].key, sort) == 0) l->col = i;
    l->desc = s->cols[l->col].desc_first;
    const char *dir = req_in(rq, "richting");
    if (dir && strcmp(dir, "oplopend") == 0) l->desc = 0;
    if (dir && strcmp(dir, "aflopend") == 0) l->desc = 1;
    l->size = s->per_page;
    const char *size = req_in(rq, "aantal"); /* digits only, declared FK_ID */
    if (size && s->per_page_max > s->per_page_min) {
        long n;
        /* out of bounds (or too many digits): the nearest bound */
        if (config_parse_long(size, 0, 1000000, &n) != 0) n = s->per_page_max;
        l->size = (int)clamp(n, s->per_page_min, s->per_page_max);
    }
    l->page = 1;
    l->ks = (db_keyset){.expr = s->cols[l->col].expr,
                        .is_int = s->cols[l->col].is_int,
                        .id_expr = s->id_expr,
                        .desc = l->desc,
                        .limit = l->size};
    const char *cursor = req_in(rq, "cursor");
    if (kv_get(&rq->errors, "cursor"))
        l->notice = bad_cursor;
    else if (cursor)
        read_cursor(rq, l, cursor);
    const char *old = s->legacy_page && !l->cursor ? req_in(rq, s->legacy_page) : NULL;
    long n;
    if (old)
        l->legacy = config_parse_long(old, 1, 1000000, &n) == 0 ? clamp(n, 1, s->legacy_max)
                                                                : s->legacy_max;
}

/* ---- the queries ---- */

static int fetch(http_req *rq, list_page *l, const list_source *src, int *more)
{
    l->rows = src->fetch(req_db(rq), rq->a, &l->ks, src->arg);
    if (!l->rows) return -1;
    *more = db_keyset_finish(&l->ks, l->rows);
    return 0;
}

/* The first page instead of the one asked for. */
static int restart(http_req *rq, list_page *l, const list_source *src, int *more)
{
    l->ks.key = l->ks.id = NULL;
    l->ks.before = 0;
    l->ks.offset = 0;
    l->cursor = 0;
    l->page = 1;
    return fetch(rq, l, src, more);
}

/* An old page-number link: the page it meant, found with one bounded
 * OFFSET (at most legacy_max pages deep), or the last page when the list
 * has fewer. */
static void map_legacy(list_page *l, long long cap)
{
    if (l->legacy <= 1) return;
    if (l->count < cap) {
        long last = l->count > 0 ? (long)((l->count + l->size - 1) / l->size) : 1;
        if (l->legacy > last) l->legacy = last;
    }
    l->page = l->legacy;
    l->ks.offset = (long long)(l->legacy - 1) * l->size;
}

int list_load(http_req *rq, list_page *l, const list_source *src)
{
    long long cap = LIST_COUNT_CAP + 1;
    if (l->legacy > 1 && (long long)(l->legacy - 1) * l->size + 1 > cap)
        cap = (long long)(l->legacy - 1) * l->size + 1;
    l->count = src->count(req_db(rq), rq->a, cap, src->arg);
    if (l->count < 0) return -1;
    map_legacy(l, cap);
    int more = 0;
    if (fetch(rq, l, src, &more) != 0) return -1;
    if (l->ks.before && more) {
        l->has_prev = l->has_next = 1;
        return 0;
    }
    if (l->ks.before) {
        /* fewer rows than a page before the cursor: this is the start */
        if (restart(rq, l, src, &more) != 0) return -1;
        l->has_next = more;
        return 0;
    }
    if (l->cursor && l->rows->nrows == 0) {
        /* the rows after the cursor are gone (or it never pointed at one) */
        l->notice = bad_cursor;
        if (restart(rq, l, src, &more) != 0) return -1;
    }
    l->has_next = more;
    l->has_prev = l->cursor || l->ks.offset > 0;
    return 0;
}

/* ---- the view ---- */

static void add_param(buf *b, char *sep, const char *name, const char *value)
{
    buf_printf(b, "%c%s=", *sep, name);
    buf_url(b, value);
    *sep = '&';
}

/* A link to base with the filters, the sort (when not the default) and,
 * when given, the size and a cursor. */
static char *link_to(http_req *rq, const list_page *l, const char *base, int col, int desc,
                     int with_size, const char *cursor)
{
    const list_spec *s = l->spec;
    buf b;
    buf_init(&b, rq->a, 128);
    buf_puts(&b, base);
    char sep = '?';
    for (const char *const *f = s->filters; f && *f; f++) {
        const char *v = req_in(rq, *f);
        if (v) add_param(&b, &sep, *f, v);
    }
    if (col != s->sort_col) add_param(&b, &sep, "sorteer", s->cols[col].key);
    if (desc != s->cols[col].desc_first)
        add_param(&b, &sep, "richting", desc ? "aflopend" : "oplopend");
    if (with_size && l->size != s->per_page)
        add_param(&b, &sep, "aantal", arena_printf(rq->a, "%d", l->size));
    if (cursor) add_param(&b, &sep, "cursor", cursor);
    return b.data;
}

/* The link to the page that starts after row i (or ends before it). */
static char *page_link(http_req *rq, const list_page *l, int row, int before)
{
    const char *key = db_keyset_key(l->rows, row), *id = db_keyset_id(l->rows, row);
    if (!key || !id) return NULL;
    long page = l->page + (before ? -1 : 1);
    list_cursor c = {.before = before,
                     .desc = l->desc,
                     .page = l->page > 0 && page >= 1 && page <= LIST_PAGE_MAX ? page : 0,
                     .sort = l->spec->cols[l->col].key,
                     .key = key,
                     .id = strtoll(id, NULL, 10)};
    char *text = list_cursor_encode(rq->a, &c);
    return text ? link_to(rq, l, l->spec->path, l->col, l->desc, 1, text) : NULL;
}

static void count_text(http_req *rq, tv *o, const list_page *l)
{
    const list_spec *s = l->spec;
    if (l->count > LIST_COUNT_CAP)
        tv_set_str(o, "count_text",
                   arena_printf(rq->a, "meer dan %d %s gevonden", LIST_COUNT_CAP, s->many));
    else
        tv_set_str(
            o, "count_text",
            arena_printf(rq->a, "%lld %s gevonden", l->count, l->count == 1 ? s->one : s->many));
}

static void columns(http_req *rq, tv *o, const list_page *l)
{
    const list_spec *s = l->spec;
    tv *cols = tv_set_list(o, "columns");
    for (int i = 0; i < s->ncols; i++) {
        const list_col *c = &s->cols[i];
        tv *h = tv_push_obj(cols);
        int sortable = c->key && c->expr, current = i == l->col;
        tv_set_str(h, "label", c->label);
        tv_set_bool(h, "num", c->num);
        tv_set_str(h, "href",
                   sortable
                       ? link_to(rq, l, s->path, i, current ? !l->desc : c->desc_first, 1, NULL)
                       : "");
        tv_set_str(h, "aria_sort", current ? (l->desc ? "descending" : "ascending") : "");
        tv_set_str(h, "sign", current ? (l->desc ? "▼" : "▲") : "");
    }
}

static void pager(http_req *rq, tv *o, const list_page *l)
{
    int n = l->rows->nrows;
    char *prev = l->has_prev && n > 0 ? page_link(rq, l, 0, 1) : NULL;
    char *next = l->has_next && n > 0 ? page_link(rq, l, n - 1, 0) : NULL;
    if (!prev && !next) return;
    tv *p = tv_set_obj(o, "pager");
    tv_set_str(p, "prev", prev);
    tv_set_str(p, "next", next);
    long pages = l->count <= LIST_COUNT_CAP ? (long)((l->count + l->size - 1) / l->size) : 0;
    if (l->page > 0 && pages > 0 && l->page <= pages)
        tv_set_str(p, "page_text", arena_printf(rq->a, "Pagina %ld van %ld", l->page, pages));
    else if (l->page > 0)
        tv_set_str(p, "page_text", arena_printf(rq->a, "Pagina %ld", l->page));
}

tv *list_view(http_req *rq, tv *ctx, const list_page *l)
{
    const list_spec *s = l->spec;
    tv *o = tv_set_obj(ctx, "list");
    tv_set_str(o, "caption", s->caption);
    tv_set_str(o, "empty", s->empty);
    tv_set_str(o, "notice", l->notice);
    count_text(rq, o, l);
    columns(rq, o, l);
    int has_rows = l->rows && l->rows->nrows > 0;
    tv_set_bool(o, "has_rows", has_rows);
    if (has_rows) pager(rq, o, l);
    if (has_rows && s->csv_path)
        tv_set_str(o, "csv_href", link_to(rq, l, s->csv_path, l->col, l->desc, 0, NULL));
    return tv_set_list(o, "rows");
}

/* Every key set, so a missing one never finds a value of an outer context. */
static void set_text(tv *o, const char *key, const char *v)
{
    tv_set_str(o, key, v ? v : "");
}

void list_row(http_req *rq, const list_page *l, tv *rows, const list_cell *cells)
{
    (void)rq;
    tv *cl = tv_set_list(tv_push_obj(rows), "cells");
    for (int i = 0; i < l->spec->ncols; i++) {
        tv *o = tv_push_obj(cl);
        tv_set_str(o, "label", l->spec->cols[i].label);
        tv_set_bool(o, "num", l->spec->cols[i].num);
        set_text(o, "c_text", cells[i].text);
        set_text(o, "c_href", cells[i].href);
        set_text(o, "c_time", cells[i].datetime);
        set_text(o, "c_sub", cells[i].sub);
        set_text(o, "c_badge", cells[i].badge);
        set_text(o, "c_hidden", cells[i].hidden);
        tv_set_bool(o, "c_action", cells[i].action);
    }
}
