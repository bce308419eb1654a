/* Unit tests: the list cursor (encoded, decoded strictly) and pages read
 * by key on SQLite and PostgreSQL: every row once, forward and back, with
 * many rows sharing a sort value. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "migrated_db.h"
#include "web/list.h"

static void cursor_round_trip(void **state)
{
    (void)state;
    arena *a = arena_new(0);
    list_cursor c = {.before = 1,
                     .desc = 1,
                     .page = 7,
                     .sort = "evenement",
                     .key = "café; 'x' \"y\" -- ☃",
                     .id = 9007199254740993LL};
    char *text = list_cursor_encode(a, &c);
    assert_non_null(text);
    for (const char *p = text; *p; p++)
        assert_non_null(
            strchr("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_", *p));
    list_cursor d;
    assert_int_equal(list_cursor_decode(a, text, &d), 0);
    assert_int_equal(d.before, 1);
    assert_int_equal(d.desc, 1);
    assert_int_equal(d.page, 7);
    assert_string_equal(d.sort, "evenement");
    assert_string_equal(d.key, c.key);
    assert_int_equal(d.id, c.id);
    /* an empty key and an unknown page number are fine */
    list_cursor e = {.sort = "datum", .key = "", .id = 1};
    text = list_cursor_encode(a, &e);
    assert_int_equal(list_cursor_decode(a, text, &d), 0);
    assert_string_equal(d.key, "");
    assert_int_equal(d.page, 0);
    assert_int_equal(d.before, 0);
    arena_free(a);
}

static void cursor_encode_refuses(void **state)
{
    (void)state;
    arena *a = arena_new(0);
    char big[LIST_KEY_MAX + 2];
    memset(big, 'k', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    list_cursor bad[] = {
        {.sort = "datum", .key = big, .id = 1},    /* key too long */
        {.sort = "datum", .key = "x", .id = 0},    /* no id */
        {.sort = "Datum", .key = "x", .id = 1},    /* sort key not [a-z0-9_-] */
        {.sort = "", .key = "x", .id = 1},         /* no sort */
        {.sort = "datum", .key = "\xff", .id = 1}, /* not UTF-8 */
        {.sort = "datum", .key = "x", .id = 1, .page = LIST_PAGE_MAX + 1},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_null(list_cursor_encode(a, &bad[i]));
    arena_free(a);
}

/* Builds raw cursor bytes and their base64url text, to forge cursors. */
static char *forge(arena *a, const unsigned char *raw, size_t n)
{
    static const char al[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    char *out = arena_alloc(a, n * 2 + 4), *o = out;
    for (size_t i = 0; i < n; i += 3) {
        unsigned v = (unsigned)raw[i] << 16 | (i + 1 < n ? raw[i + 1] : 0) << 8 |
                     (i + 2 < n ? raw[i + 2] : 0);
        *o++ = al[v >> 18 & 63];
        *o++ = al[v >> 12 & 63];
        if (i + 1 < n) *o++ = al[v >> 6 & 63];
        if (i + 2 < n) *o++ = al[v & 63];
    }
    *o = '\0';
    return out;
}

static void cursor_decode_is_strict(void **state)
{
    (void)state;
    arena *a = arena_new(0);
    list_cursor d;
    const char *garbled[] = {"",
                             "x",
                             "!!!!",
                             "AAAA",
                             "AQ",
                             "AQEAAAABAAAAAAAAAB4FZGF0dW0ACjIwMjct",
                             "AQEAAAABAAAAAAAAAB4FZGF0dW0ACjIwMjctMDMtMTA=", /* padding */
                             "AQEAAAABAAAAAAAAAB4FZGF0dW0ACjIwMjctMDMtMTA.",
                             "' OR 1=1 --"};
    for (size_t i = 0; i < sizeof garbled / sizeof garbled[0]; i++)
        assert_int_equal(list_cursor_decode(a, garbled[i], &d), -1);

    /* version 1, flags 0, page 2, id 5, sort "datum", key "2026" */
    unsigned char good[] = {1, 0, 0,   0,   0,   2,   0,   0, 0, 0,   0,   0,   0,
                            5, 5, 'd', 'a', 't', 'u', 'm', 0, 4, '2', '0', '2', '6'};
    assert_int_equal(list_cursor_decode(a, forge(a, good, sizeof good), &d), 0);
    assert_string_equal(d.key, "2026");

    unsigned char raw[sizeof good];
#define BROKEN(at, value)                                                                          \
    do {                                                                                           \
        memcpy(raw, good, sizeof good);                                                            \
        raw[at] = (value);                                                                         \
        assert_int_equal(list_cursor_decode(a, forge(a, raw, sizeof raw), &d), -1);                \
    } while (0)
    BROKEN(0, 2);     /* unknown version */
    BROKEN(1, 4);     /* unknown flag */
    BROKEN(2, 0x7f);  /* page past LIST_PAGE_MAX */
    BROKEN(13, 0);    /* id 0 */
    BROKEN(6, 0x80);  /* id past INT64_MAX */
    BROKEN(14, 6);    /* sort length beyond the bytes */
    BROKEN(14, 0);    /* no sort */
    BROKEN(15, 'D');  /* sort with a capital */
    BROKEN(21, 5);    /* key length beyond the end */
    BROKEN(21, 3);    /* bytes left after the key */
    BROKEN(22, 0);    /* NUL in the key */
    BROKEN(22, 0xc3); /* truncated UTF-8 */
    BROKEN(22, 0xc0); /* overlong */
#undef BROKEN
    /* the same bytes with non-zero bits past the end: a second spelling */
    char *text = forge(a, good, sizeof good);
    size_t n = strlen(text);
    const char *al = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    text[n - 1] = al[(strchr(al, text[n - 1]) - al) | 1];
    if (strcmp(text, forge(a, good, sizeof good)) != 0)
        assert_int_equal(list_cursor_decode(a, text, &d), -1);
    /* too long to be ours */
    char *longtext = arena_alloc(a, LIST_CURSOR_MAX + 8);
    memset(longtext, 'A', LIST_CURSOR_MAX + 4);
    longtext[LIST_CURSOR_MAX + 4] = '\0';
    assert_int_equal(list_cursor_decode(a, longtext, &d), -1);
    arena_free(a);
}

/* ---- keyset pages on a real database ---- */

static void exec(env *e, const char *sql)
{
    db_conn *c = db_acquire(e->d);
    assert_true(db_query(c, e->a, NULL, sql, 0, NULL) >= 0);
    db_release(e->d, c);
}

/* 95 rows: names 0..94 spelled as numbers (so text order differs from
 * number order: "10" < "9"), only four different days, ids shuffled. */
static void fill(env *e)
{
    exec(e, "CREATE TABLE ks_rows (id BIGINT PRIMARY KEY, name TEXT NOT NULL, day TEXT NOT NULL)");
    for (int i = 0; i < 95; i++) {
        char sql[160];
        snprintf(sql, sizeof sql,
                 "INSERT INTO ks_rows (id, name, day) VALUES (%d, '%d', '2026-0%d-01')",
                 (i * 37) % 95 + 1, i % 19, 1 + i % 4);
        exec(e, sql);
    }
    assert_int_equal(scalar(e, "SELECT count(DISTINCT day) FROM ks_rows"), 4);
}

static db_res *page(env *e, db_conn *c, const db_keyset *k)
{
    const char *p[4];
    int n = 0;
    buf sql;
    buf_init(&sql, e->a, 256);
    buf_puts(&sql, "SELECT id");
    db_keyset_columns(k, &sql);
    buf_puts(&sql, " FROM ks_rows WHERE 1 = 1");
    db_keyset_where(k, &sql, p, &n);
    db_keyset_tail(k, &sql);
    db_res *r = db_select(c, e->a, sql.data, n, p);
    assert_non_null(r);
    return r;
}

/* The ids in the order the database sorts them, in one query. */
static int expected_order(env *e, db_conn *c, const db_keyset *k, long long *ids)
{
    db_keyset all = *k;
    all.limit = 1000;
    db_res *r = page(e, c, &all);
    for (int i = 0; i < r->nrows; i++)
        ids[i] = db_int(r, i, "id");
    return r->nrows;
}

/* Walks forward by 10, then back from the end: each page matches. */
static void walk(env *e, const char *expr, int is_int, int desc)
{
    db_conn *c = db_acquire(e->d);
    db_keyset k = {.expr = expr, .is_int = is_int, .id_expr = "id", .desc = desc, .limit = 10};
    long long want[200], got[200];
    int total = expected_order(e, c, &k, want), n = 0, pages = 0;
    assert_int_equal(total, 95);
    char *first_key[20], *first_id[20];
    while (pages < 20 && n < 190) { /* a wrong comparison could walk for ever */
        db_res *r = page(e, c, &k);
        int more = db_keyset_finish(&k, r);
        first_key[pages] = arena_strdup(e->a, db_keyset_key(r, 0));
        first_id[pages++] = arena_strdup(e->a, db_keyset_id(r, 0));
        for (int i = 0; i < r->nrows; i++)
            got[n++] = db_int(r, i, "id");
        if (!more) break;
        k.key = arena_strdup(e->a, db_keyset_key(r, r->nrows - 1));
        k.id = arena_strdup(e->a, db_keyset_id(r, r->nrows - 1));
    }
    assert_int_equal(pages, 10);
    assert_int_equal(n, total);
    assert_memory_equal(got, want, sizeof(long long) * (size_t)total);
    /* back: the page before page p's first row is page p - 1 */
    k.before = 1;
    for (int p = pages - 1; p >= 1; p--) {
        k.key = first_key[p];
        k.id = first_id[p];
        db_res *r = page(e, c, &k);
        int more = db_keyset_finish(&k, r);
        assert_int_equal(more, p > 1);
        assert_int_equal(r->nrows, 10);
        for (int i = 0; i < r->nrows; i++)
            assert_int_equal(db_int(r, i, "id"), want[(p - 1) * 10 + i]);
    }
    db_release(e->d, c);
}

static void keyset_walks(void **state)
{
    env *e = *state;
    fill(e);
    walk(e, "day", 0, 0);
    walk(e, "day", 0, 1);
    walk(e, "name", 0, 0); /* "10" before "9": compared as text */
    walk(e, "name", 0, 1);
    walk(e, "lower(name)", 0, 0);
    walk(e, "CAST(name AS BIGINT)", 1, 0);
    walk(e, "CAST(name AS BIGINT)", 1, 1);
}

/* An old page-number link: one OFFSET, then the same rows as by key. */
static void keyset_offset(void **state)
{
    env *e = *state;
    fill(e);
    db_conn *c = db_acquire(e->d);
    db_keyset k = {.expr = "day", .id_expr = "id", .limit = 10};
    long long want[200];
    expected_order(e, c, &k, want);
    k.offset = 90;
    db_res *r = page(e, c, &k);
    assert_int_equal(db_keyset_finish(&k, r), 0);
    assert_int_equal(r->nrows, 5);
    assert_int_equal(db_int(r, 0, "id"), want[90]);
    db_release(e->d, c);
}

/* The filter form: the fields in order, values escaped, the choice kept,
 * and no key of the page's own context showing through a field that
 * leaves it empty. */
static char *render_filters(arena *a, tv *ctx)
{
    tmpl_set *t = tmpl_set_new();
    char err[256];
    assert_int_equal(tmpl_load_dir(t, "templates", err, sizeof err), 0);
    buf out;
    buf_init(&out, a, 4096);
    assert_int_equal(tmpl_render(t, "partials/list_filters", ctx, &out), 0);
    tmpl_set_free(t);
    return out.data;
}

static void filters_render(void **state)
{
    (void)state;
    arena *a = arena_new(0);
    tv *ctx = tv_obj(a);
    static const char *const page_keys[] = {"value", "label",   "placeholder", "maxlength",
                                            "hint",  "type",    "clear",       "active_text",
                                            "width", "selected"};
    for (size_t i = 0; i < sizeof page_keys / sizeof *page_keys; i++)
        tv_set_str(ctx, page_keys[i], "LEK");
    tv *box = list_filters(ctx, "/lijst", "Lijst zoeken", "Filters", "Zoeken");
    list_filter_search(box, "f-q", "q", "Zoeken", "a<\"b", 100, NULL);
    tv *sel = list_filter_select(box, "f-s", "status", "Status", "Alle");
    list_filter_option(sel, "open", "Open", 0);
    list_filter_option(sel, "dicht", "Dicht & klaar", 1);
    list_filter_numeric(list_filter_input(box, NULL, "f-n", "nummer", "Nummer", NULL, 0, NULL),
                        "w-s");
    const char *html = render_filters(a, ctx);
    assert_null(strstr(html, "LEK"));
    assert_non_null(strstr(html, "<details class=\"filterbox\" open>"));
    assert_non_null(strstr(html, "<summary>Filters</summary>"));
    assert_non_null(strstr(html, "action=\"/lijst\" role=\"search\" aria-label=\"Lijst zoeken\""));
    assert_non_null(strstr(html, "value=\"a&lt;&quot;b\" maxlength=\"100\">"));
    assert_non_null(strstr(html, "<option value=\"\">Alle</option>"));
    assert_non_null(strstr(html, "<option value=\"open\">Open</option>"));
    assert_non_null(strstr(html, "<option value=\"dicht\" selected>Dicht &amp; klaar</option>"));
    assert_non_null(strstr(html, "<input id=\"f-n\" name=\"nummer\" inputmode=\"numeric\" "
                                 "value=\"\" class=\"w-s\">"));
    assert_true(strstr(html, "id=\"f-q\"") < strstr(html, "id=\"f-s\""));
    assert_non_null(strstr(html, "<button type=\"submit\" class=\"button\">Zoeken</button>"));
    assert_null(strstr(html, "class=\"button secondary\""));

    /* closed with a count, a clear link, and no search landmark without a search field */
    ctx = tv_obj(a);
    box = list_filters(ctx, "/lijst", "Lijst filteren", NULL, "Filteren");
    list_filter_select(box, "f-s", "status", "Status", "Alle");
    list_filter_clear(box, "Filters wissen");
    html = render_filters(a, ctx);
    assert_null(strstr(html, "<details"));
    assert_null(strstr(html, "role=\"search\""));
    assert_non_null(
        strstr(html, "<a class=\"button secondary\" href=\"/lijst\">Filters wissen</a>"));
    ctx = tv_obj(a);
    box = list_filters(ctx, "/lijst", "Lijst zoeken", "Filters", "Filter");
    list_filters_collapsed(box, "2 filters actief");
    html = render_filters(a, ctx);
    assert_non_null(strstr(html, "<details class=\"filterbox\">"));
    assert_non_null(strstr(html, "Filters <span class=\"active\">(2 filters actief)</span>"));
    arena_free(a);
}

int main(void)
{
    const struct CMUnitTest pure[] = {
        cmocka_unit_test(cursor_round_trip),
        cmocka_unit_test(cursor_encode_refuses),
        cmocka_unit_test(cursor_decode_is_strict),
        cmocka_unit_test(filters_render),
    };
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(keyset_walks, setup, teardown),
        cmocka_unit_test_setup_teardown(keyset_offset, setup, teardown),
    };
    int failed = cmocka_run_group_tests_name("list cursor", pure, NULL, NULL);
    failed += cmocka_run_group_tests_name("keyset pages on SQLite", tests, NULL, NULL);
    pg_url = getenv("KP_TEST_PG_URL");
    if (!pg_url || !*pg_url) {
        print_message("KP_TEST_PG_URL is not set: skipping the PostgreSQL run\n");
        return failed;
    }
    return failed + cmocka_run_group_tests_name("keyset pages on PostgreSQL", tests, NULL, NULL);
}
