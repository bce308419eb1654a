/* list.h - the pieces of every list page: pages walked by key ("Vorige" /
 * "Volgende" with an opaque cursor), sortable columns from a whitelist,
 * filters kept in every link, a capped count, one table partial with an
 * empty state (templates/partials/list_table.html), and the same rows as
 * a CSV download.
 *
 * A feature describes its list once (list_spec, static), declares
 * LIST_INPUTS among its route's inputs, and in the handler:
 *
 *   list_page l;
 *   list_read(rq, &spec, &l);                  sort, direction, size, cursor
 *   list_load(rq, &l, &source)                 count (capped) and one page
 *   tv *rows = list_view(rq, ctx, &l);         headers, pager, count text
 *   for each row of l.rows: list_row(rq, &l, rows, cells);
 *   page_render(... "{{> partials/list_table}}" in the template ...)
 *
 * The source's queries put the keyset pieces (db/keyset.h) in their SQL;
 * they are never given an OFFSET, except for an old page-number link
 * (list_spec.legacy_page), which is mapped once onto the page it meant.
 *
 * Cursors are not secret and not signed: a cursor only says where a page
 * starts, and the queries are scoped by the session as always. Decoding is
 * strict (canonical base64url, exact lengths, UTF-8 key, known sort), so a
 * garbled or forged cursor gives the first page with a Dutch notice, never
 * a database error.
 *
 * Everything lives in the request's arena; not thread-shared.
 */
#ifndef KP_LIST_H
#define KP_LIST_H

#include "db/db.h"
#include "db/keyset.h"
#include "http/http.h"
#include "web/tmpl.h"

/* A count stops here: "meer dan 500 evenementen" costs at most 501 rows,
 * however many match. */
#define LIST_COUNT_CAP 500
/* Limits a cursor must keep (longer keys get no link to the next page). */
#define LIST_KEY_MAX 1024
#define LIST_CURSOR_MAX 1500
#define LIST_PAGE_MAX 1000000
/* Rows per query while a CSV download streams. */
#define LIST_CSV_CHUNK 500

/* The query inputs the list reads; put them in the route's field_spec
 * (a download route takes only the sort). */
#define LIST_SORT_INPUTS                                                                           \
    {"sorteer", IN_QUERY, FK_SLUG, 32},                                                            \
    {                                                                                              \
        "richting", IN_QUERY, FK_SLUG, 10                                                          \
    }
#define LIST_INPUTS                                                                                \
    LIST_SORT_INPUTS, {"aantal", IN_QUERY, FK_ID, 3},                                              \
    {                                                                                              \
        "cursor", IN_QUERY, FK_TOKEN, LIST_CURSOR_MAX                                              \
    }

typedef struct list_col {
    const char *key;   /* in links: sorteer=<key>; NULL: not sortable */
    const char *label; /* the header, and data-label of its cells */
    const char *expr;  /* SQL sort expression, never NULL for a row */
    int is_int;        /* expr is an integer (else text) */
    int num;           /* a number column (right-aligned) */
    int desc_first;    /* sorted descending first (newest invoices on top) */
} list_col;

typedef struct list_spec {
    const char *path;           /* the page itself, for links: "/cursusagenda" */
    const char *caption;        /* the table's caption (read by screen readers) */
    const char *one, *many;     /* "evenement", "evenementen" */
    const char *empty;          /* the sentence shown when nothing matches */
    const list_col *cols;       /* every column shown, in order */
    int ncols;                  /* at most 16 */
    int sort_col;               /* the default sort column's index (sortable) */
    const char *id_expr;        /* unique integer tie-breaker: "e.id" */
    int per_page;               /* rows per page */
    int per_page_min;           /* bounds of aantal=; equal to per_page: fixed */
    int per_page_max;           /* */
    const char *const *filters; /* declared inputs kept in links; NULL-ended */
    const char *legacy_page;    /* an old page-number input ("pagina") or NULL */
    int legacy_max;             /* the deepest page it reaches (deeper: this one) */
    const char *csv_path;       /* the download of these rows, or NULL */
} list_spec;

/* Where a page starts, as carried in the cursor= link. */
typedef struct list_cursor {
    int before;       /* the page ends just before this row (Vorige) */
    int desc;         /* the direction it was made for */
    long page;        /* the page number it leads to; 0: not known */
    const char *sort; /* the sort column's key */
    const char *key;  /* the row's sort value */
    long long id;     /* the row's id, > 0 */
} list_cursor;

/* The cursor as base64url text in a; NULL when it would be too long. */
char *list_cursor_encode(arena *a, const list_cursor *c);
/* 0 and *out filled (strings in a), or -1 for anything encode could not
 * have produced. Pure; never reads past s's NUL. */
int list_cursor_decode(arena *a, const char *s, list_cursor *out);

typedef struct list_page {
    const list_spec *spec;
    int col;            /* the sort column's index */
    int desc;           /* descending */
    int size;           /* rows per page */
    long page;          /* the number shown ("Pagina 3"); 0: not known */
    long legacy;        /* the old page number asked for, or 0 */
    int cursor;         /* the page was asked for by a cursor */
    const char *notice; /* Dutch: the cursor could not be used */
    db_keyset ks;       /* what the source's page query must do */
    /* after list_load */
    long long count; /* matches, counted up to the cap (> LIST_COUNT_CAP: "meer dan") */
    int has_prev, has_next;
    db_res *rows; /* the page, in display order */
} list_page;

/* The feature's queries. count: rows matching, counted up to cap (cap when
 * there are more), or -1 on a database error. fetch: one page as k says,
 * with db_keyset_columns in its select list; NULL on a database error. */
typedef struct list_source {
    long long (*count)(db_conn *c, arena *a, long long cap, void *arg);
    db_res *(*fetch)(db_conn *c, arena *a, const db_keyset *k, void *arg);
    void *arg;
} list_source;

/* Reads sorteer (unknown: the default column), richting (oplopend /
 * aflopend), aantal (clamped to the bounds), cursor (unusable: the first
 * page and l->notice) and the old page number from the declared inputs. */
void list_read(http_req *rq, const list_spec *spec, list_page *l);
/* 1 when a declared input of that name is the list's own (its errors are
 * not shown as a filter's). */
int list_owns_input(const char *name);
/* Runs the count and page queries: 0, or -1 on a database error (the
 * caller shows page_db_error). */
int list_load(http_req *rq, list_page *l, const list_source *src);

/* One cell of a row; NULL members are left out. */
typedef struct list_cell {
    const char *text;     /* the value */
    const char *href;     /* text is a link to here */
    const char *datetime; /* text is a <time> with this machine-readable value */
    const char *sub;      /* a second, quieter line under it */
    const char *badge;    /* shown instead of text as a badge ("Vol") */
    const char *hidden;   /* more of the link's name, for screen readers only
                             (" voor <event> op <date>": which row it acts on) */
    int action;           /* the link acts on the row: shown as a button */
} list_cell;

/* Puts "list" into ctx for partials/list_table.html (caption, count text,
 * sortable headers with aria-sort, pager links, download link, notice,
 * empty state) and returns the row list for list_row. */
tv *list_view(http_req *rq, tv *ctx, const list_page *l);
/* Appends a row of spec->ncols cells. */
void list_row(http_req *rq, const list_page *l, tv *rows, const list_cell *cells);

/* A CSV download of every row the list shows (its filters and order),
 * streamed in chunks of LIST_CSV_CHUNK rows read by key (see core/csv.h
 * and http/stream.h): memory stays the same whatever the number of rows. */
typedef struct list_csv_spec {
    const char *filename;      /* "cursusagenda.csv" */
    const char *const *header; /* ncols titles */
    int ncols;
    /* Fills cells[0..ncols-1] for row i; strings in a (reset per chunk). */
    void (*row)(const db_res *r, int i, const char **cells, arena *a, void *arg);
} list_csv_spec;

/* The rows are read after the handler has returned: src->arg (and what
 * it points to) must live in rq->a, not on the handler's stack; src and x
 * themselves are copied. */
void list_csv(http_req *rq, http_resp *rs, const list_page *l, const list_source *src,
              const list_csv_spec *x);

/* ---- the search-and-filter form (templates/partials/list_filters.html) ----
 *
 * Every list's filters share one form: fields in the order they are added,
 * a submit button and, when the caller asks, a link back to the unfiltered
 * list. The page puts "{{> partials/list_filters}}" in its template. Field
 * ids are the caller's, since labels and tests refer to them. Strings are
 * referenced, not copied: they must live as long as the rendering (rq->a).
 * The form is a search landmark once it has a search field. */

/* Puts "filters" into ctx: a form that GETs action, named aria_label, with
 * a submit button saying submit. With a summary the form sits in an open
 * filter box (details.filterbox) titled summary; NULL: a plain form. */
tv *list_filters(tv *ctx, const char *action, const char *aria_label, const char *summary,
                 const char *submit);
/* Shows the filter box closed, with "(active_text)" after its summary
 * when active_text is not NULL (how many filters are in use). */
void list_filters_collapsed(tv *f, const char *active_text);
/* A link named label to action without filters; call it when filtered. */
void list_filter_clear(tv *f, const char *label);

/* An input of the given type ("search", "text", "date"; NULL: none given)
 * showing value (NULL: empty); maxlength 0 and placeholder NULL are left
 * out. Returns the field for the modifiers below. */
tv *list_filter_input(tv *f, const char *type, const char *id, const char *name, const char *label,
                      const char *value, int maxlength, const char *placeholder);
tv *list_filter_search(tv *f, const char *id, const char *name, const char *label,
                       const char *value, int maxlength, const char *placeholder);
/* The field takes digits (a numeric keyboard on phones), in a field as
 * wide as the class width ("w-s"). */
void list_filter_numeric(tv *field, const char *width);
/* The field is described by the hint of that id: with text, the hint is
 * shown under the field; NULL: it is elsewhere (list_filter_note). */
void list_filter_described(tv *field, const char *hint_id, const char *text);
/* A hint between fields, with an id fields can point at. */
void list_filter_note(tv *f, const char *id, const char *text);
/* A check box sending name=1. */
void list_filter_check(tv *f, const char *id, const char *name, const char *label, int checked);
/* A select whose first option (value "") is all_label ("Alle maanden");
 * list_filter_option appends the others. */
tv *list_filter_select(tv *f, const char *id, const char *name, const char *label,
                       const char *all_label);
void list_filter_option(tv *select, const char *value, const char *label, int selected);

#endif
