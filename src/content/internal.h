/* internal.h - what the content feature's files share: the back office's
 * queries and changes of news items and content pages (admin_store.c),
 * and the text of an audit line about a long Markdown text (audit_text.c).
 *
 * The change functions are db_tx units: they read the row under a lock,
 * write it and its audit line (auth/audit.h) in the same transaction, and
 * return 0 (commit), CONTENT_GONE (no such row: rolled back, the caller
 * answers 404), CONTENT_LOCKED (the page may not be changed here) or -1.
 * Everything lives in the caller's arena. */
#ifndef KP_CONTENT_INTERNAL_H
#define KP_CONTENT_INTERNAL_H

#include "db/db.h"
#include "db/keyset.h"
#include "http/router.h"

#define CONTENT_GONE 1
#define CONTENT_LOCKED 2

/* Longest Markdown text of a news item or page (bytes). */
#define CONTENT_BODY_MAX 32000

/* Under the label of every Markdown text. */
#define CONTENT_MARKDOWN_HINT                                                                      \
    "In Markdown: een lege regel tussen alinea's, ## voor een tussenkop, **vet**, *cursief*, "     \
    "[linktekst](https://…) voor een link, - aan het begin van een regel voor een opsomming. "   \
    "HTML wordt niet overgenomen."

/* The general terms: their version is recorded on every paying
 * registration, so their text is not edited in the back office. */
#define CONTENT_TERMS_SLUG "algemene-voorwaarden"

void content_admin_news_routes(router *r);
void content_admin_pages_routes(router *r);

/* ---- news (admin_store.c) ---- */

typedef enum news_status { NEWS_ALL = 0, NEWS_PUBLISHED, NEWS_CONCEPT } news_status;

/* The back office's search: every word of q in title or summary. */
typedef struct news_filter {
    const char *q;
    news_status status;
} news_filter;

long long content_news_count(db_conn *c, arena *a, const news_filter *f, long long cap);
/* columns: id, slug, title, published_on, published, and the keyset's */
db_res *content_news_page(db_conn *c, arena *a, const news_filter *f, const db_keyset *k);
/* columns: id, slug, title, summary, body, published_on, published */
db_res *content_news_by_id(db_conn *c, arena *a, const char *id);

/* What the form of a news item holds (normal forms; date 'YYYY-MM-DD'). */
typedef struct news_fields {
    const char *title, *date, *summary, *body;
    int published;
} news_fields;

typedef struct news_change {
    const char *id;        /* the item changed; NULL: a new one */
    long long actor;       /* the staff member */
    const char *client_ip; /* for the audit line */
    news_fields f;
    /* out: the item's id and slug (a new item gets a free slug from its
     * title, which stays when the title changes later) */
    const char *out_id, *out_slug;
} news_change;

/* db_tx units; arg is a news_change. */
int content_news_save(db_conn *c, arena *a, void *arg);
int content_news_delete(db_conn *c, arena *a, void *arg);

/* "Nieuwe data: 2027!" -> "nieuwe-data-2027", at most 80 bytes, cut at a
 * hyphen. Pure. */
char *content_news_slug_base(arena *a, const char *title);

/* ---- content pages (admin_store.c) ---- */

/* Every page, by title. columns: slug, title, updated_at */
db_res *content_pages_all(db_conn *c, arena *a);

typedef struct page_change {
    const char *slug;
    long long actor;
    const char *client_ip;
    const char *title, *body;
} page_change;

/* db_tx unit; arg is a page_change. The general terms: CONTENT_LOCKED. */
int content_page_save(db_conn *c, arena *a, void *arg);

/* ---- the audit line of a long text (audit_text.c) ---- */

/* For old -> new of a Markdown text: its length in characters and a short
 * piece from just before where the two first differ, "1.204 tekens: …in
 * 1990 opgericht…", so the line says what changed without holding the whole
 * text. Different texts always give different results; an empty text gives
 * "". Pure; results in a. */
void content_text_change(arena *a, const char *old, const char *new_text, const char **old_out,
                         const char **new_out);

/* Text from a textarea with its line ends as "\n" (browsers send "\r\n").
 * In a. */
char *content_unix_lines(arena *a, const char *s);

#endif
