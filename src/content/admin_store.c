/* admin_store.c - the back office's queries and changes of news items and
 * content pages (see internal.h). Staff see every item, published or not;
 * the public queries (store.c) see the published ones only. */
#include <string.h>

#include "auth/audit.h"
#include "catalog/slug.h"
#include "content/internal.h"
#include "core/buf.h"
#include "core/timeutil.h"

/* Words of a search that count; the rest is ignored. */
#define SEARCH_WORDS 6
#define SLUG_MAX 80

/* " AND <text> LIKE $n" for every word of q (case-insensitive on both
 * databases: db_ilike). */
static void search_words(db_conn *c, arena *a, const char *text, const char *q, buf *sql,
                         const char **p, int *n)
{
    const char *s = q ? q : "";
    for (int words = 0; words < SEARCH_WORDS; words++) {
        s += strspn(s, " \t");
        size_t len = strcspn(s, " \t");
        if (!len) break;
        p[(*n)++] = db_like_contains(a, s, len);
        buf_printf(sql, " AND %s %s $%d ESCAPE '\\'", text, db_ilike(c), *n);
        s += len;
    }
}

/* ---- news ---- */

static void news_where(db_conn *c, arena *a, const news_filter *f, buf *sql, const char **p, int *n)
{
    buf_puts(sql, " FROM news n WHERE 1 = 1");
    if (f->status == NEWS_PUBLISHED) buf_puts(sql, " AND n.published = 1");
    if (f->status == NEWS_CONCEPT) buf_puts(sql, " AND n.published = 0");
    search_words(c, a, "(n.title || ' ' || n.summary)", f->q, sql, p, n);
}

long long content_news_count(db_conn *c, arena *a, const news_filter *f, long long cap)
{
    const char *p[SEARCH_WORDS];
    int n = 0;
    buf sql;
    buf_init(&sql, a, 512);
    buf_puts(&sql, "SELECT count(*) AS n FROM (SELECT 1 AS one");
    news_where(c, a, f, &sql, p, &n);
    buf_printf(&sql, " LIMIT %lld) t", cap);
    db_res *r = db_select(c, a, sql.data, n, p);
    return r ? db_int(r, 0, "n") : -1;
}

db_res *content_news_page(db_conn *c, arena *a, const news_filter *f, const db_keyset *k)
{
    const char *p[SEARCH_WORDS + 2];
    int n = 0;
    buf sql;
    buf_init(&sql, a, 1024);
    buf_puts(&sql, "SELECT n.id, n.slug, n.title, n.published_on, n.published");
    db_keyset_columns(k, &sql);
    news_where(c, a, f, &sql, p, &n);
    db_keyset_where(k, &sql, p, &n);
    db_keyset_tail(k, &sql);
    return db_select(c, a, sql.data, n, p);
}

#define NEWS_COLUMNS "id, slug, title, summary, body, published_on, published"

db_res *content_news_by_id(db_conn *c, arena *a, const char *id)
{
    const char *p[] = {id};
    return db_select(c, a, "SELECT " NEWS_COLUMNS " FROM news WHERE id = $1", 1, p);
}

char *content_news_slug_base(arena *a, const char *title)
{
    char *s = slug_make(a, title);
    if (strlen(s) > SLUG_MAX) {
        char *cut = s + SLUG_MAX;
        *cut = '\0';
        /* a whole word or nothing of the last one */
        char *dash = strrchr(s, '-');
        if (dash && dash > s) *dash = '\0';
    }
    return s;
}

/* The first of base, base-2, base-3 … that no item has. */
static const char *free_slug(db_conn *c, arena *a, const char *base)
{
    const char *p[] = {base, arena_printf(a, "%s-%%", base)};
    db_res *r = db_select(c, a, "SELECT slug FROM news WHERE slug = $1 OR slug LIKE $2", 2, p);
    if (!r) return NULL;
    for (int k = 1;; k++) {
        const char *cand = k == 1 ? base : arena_printf(a, "%s-%d", base, k);
        int taken = 0;
        for (int i = 0; i < r->nrows && !taken; i++)
            taken = strcmp(db_val(r, i, "slug"), cand) == 0;
        if (!taken) return cand;
    }
}

static const char *yes_no(int b)
{
    return b ? "ja" : "nee";
}

/* The field lines of old -> new; old NULL: a new item, new NULL: deleted. */
static void news_fields_audit(audit_entry *e, arena *a, const db_res *old, const news_fields *nw)
{
    const char *ot = NULL, *nt = NULL;
    content_text_change(a, old ? db_val(old, 0, "body") : "", nw ? nw->body : "", &ot, &nt);
    audit_field(e, "titel", old ? db_val(old, 0, "title") : "", nw ? nw->title : "");
    audit_field(e, "datum", old ? date_nl(a, db_val(old, 0, "published_on")) : "",
                nw ? date_nl(a, nw->date) : "");
    audit_field(e, "samenvatting", old ? db_val(old, 0, "summary") : "", nw ? nw->summary : "");
    audit_field(e, "tekst", ot, nt);
    audit_field(e, "gepubliceerd", old ? yes_no(db_int(old, 0, "published")) : "",
                nw ? yes_no(nw->published) : "");
}

static int news_insert(db_conn *c, arena *a, news_change *ch)
{
    const char *slug = free_slug(c, a, content_news_slug_base(a, ch->f.title));
    if (!slug) return -1;
    db_res *r = NULL;
    if (db_q(c, a, &r,
             "INSERT INTO news (slug, title, summary, body, published_on, published, created_at)"
             " VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
             slug, ch->f.title, ch->f.summary, ch->f.body, ch->f.date, ch->f.published ? "1" : "0",
             arena_printf(a, "%lld", (long long)clock_now())) != 1)
        return -1;
    ch->out_id = db_val(r, 0, "id");
    ch->out_slug = slug;
    audit_entry e;
    audit_begin(&e, a, ch->actor, ch->client_ip, "nieuws_toegevoegd", ch->f.title);
    audit_field(&e, "slug", "", slug);
    news_fields_audit(&e, a, NULL, &ch->f);
    return audit_write(c, a, &e);
}

/* The item behind ch->id, locked for the rest of the transaction. */
static db_res *news_locked(db_conn *c, arena *a, const char *id)
{
    const char *p[] = {id};
    return db_select(c, a,
                     arena_printf(a, "SELECT " NEWS_COLUMNS " FROM news WHERE id = $1%s",
                                  db_for_update(c, a, NULL)),
                     1, p);
}

int content_news_save(db_conn *c, arena *a, void *arg)
{
    news_change *ch = arg;
    if (!ch->id) return news_insert(c, a, ch);
    db_res *old = news_locked(c, a, ch->id);
    if (!old) return -1;
    if (old->nrows != 1) return CONTENT_GONE;
    ch->out_id = ch->id;
    ch->out_slug = db_val(old, 0, "slug");
    audit_entry e;
    audit_begin(&e, a, ch->actor, ch->client_ip, "nieuws_gewijzigd", ch->f.title);
    news_fields_audit(&e, a, old, &ch->f);
    if (e.nchanges == 0) return 0; /* saved as it was: nothing to record */
    if (db_q(c, a, NULL,
             "UPDATE news SET title = $1, summary = $2, body = $3, published_on = $4,"
             " published = $5 WHERE id = $6",
             ch->f.title, ch->f.summary, ch->f.body, ch->f.date, ch->f.published ? "1" : "0",
             ch->id) != 1)
        return -1;
    return audit_write(c, a, &e);
}

int content_news_delete(db_conn *c, arena *a, void *arg)
{
    news_change *ch = arg;
    db_res *old = news_locked(c, a, ch->id);
    if (!old) return -1;
    if (old->nrows != 1) return CONTENT_GONE;
    const char *p[] = {ch->id};
    if (db_query(c, a, NULL, "DELETE FROM news WHERE id = $1", 1, p) != 1) return -1;
    audit_entry e;
    audit_begin(&e, a, ch->actor, ch->client_ip, "nieuws_verwijderd", db_val(old, 0, "title"));
    audit_field(&e, "slug", db_val(old, 0, "slug"), "");
    news_fields_audit(&e, a, old, NULL);
    return audit_write(c, a, &e);
}

/* ---- content pages ---- */

db_res *content_pages_all(db_conn *c, arena *a)
{
    return db_select(c, a, "SELECT slug, title, updated_at FROM pages ORDER BY title, slug", 0,
                     NULL);
}

int content_page_save(db_conn *c, arena *a, void *arg)
{
    const page_change *ch = arg;
    if (strcmp(ch->slug, CONTENT_TERMS_SLUG) == 0) return CONTENT_LOCKED;
    const char *p[] = {ch->slug};
    db_res *old = db_select(c, a,
                            arena_printf(a, "SELECT title, body FROM pages WHERE slug = $1%s",
                                         db_for_update(c, a, NULL)),
                            1, p);
    if (!old) return -1;
    if (old->nrows != 1) return CONTENT_GONE;
    const char *ot, *nt;
    content_text_change(a, db_val(old, 0, "body"), ch->body, &ot, &nt);
    audit_entry e;
    audit_begin(&e, a, ch->actor, ch->client_ip, "pagina_gewijzigd", ch->title);
    e.detail = arena_printf(a, "/%s", ch->slug);
    audit_field(&e, "titel", db_val(old, 0, "title"), ch->title);
    audit_field(&e, "tekst", ot, nt);
    if (e.nchanges == 0) return 0;
    if (db_q(c, a, NULL, "UPDATE pages SET title = $1, body = $2, updated_at = $3 WHERE slug = $4",
             ch->title, ch->body, arena_printf(a, "%lld", (long long)clock_now()), ch->slug) != 1)
        return -1;
    return audit_write(c, a, &e);
}
