/* listcsv.c - list_csv (see list.h): the rows of a list as a streamed CSV
 * download, read by key in chunks like the pages are. */
#include <stdlib.h>
#include <string.h>

#include "core/csv.h"
#include "http/download.h"
#include "http/stream.h"
#include "web/list.h"

#define CSV_MAX_COLS 32

typedef struct csv_run {
    list_source src;
    list_csv_spec x;
    db_keyset ks;
    int started;
    /* the last row sent: the next chunk starts after it (kept here, since
     * the scratch arena is emptied between chunks) */
    char key[LIST_KEY_MAX + 1];
    char id[24];
} csv_run;

static int csv_fill(http_req *rq, void *arg, buf *out)
{
    csv_run *run = arg;
    const list_csv_spec *x = &run->x;
    if (!run->started) {
        run->started = 1;
        buf_puts(out, CSV_BOM);
        csv_row(out, x->header, x->ncols);
        return 1;
    }
    db_conn *c = req_db(rq);
    db_res *r = c ? run->src.fetch(c, out->a, &run->ks, run->src.arg) : NULL;
    if (!r) return -1;
    int more = db_keyset_finish(&run->ks, r);
    const char *cells[CSV_MAX_COLS];
    for (int i = 0; i < r->nrows; i++) {
        x->row(r, i, cells, out->a, run->src.arg);
        csv_row(out, cells, x->ncols);
    }
    if (!more || r->nrows == 0) return 0;
    const char *key = db_keyset_key(r, r->nrows - 1), *id = db_keyset_id(r, r->nrows - 1);
    if (!key || !id || strlen(key) > LIST_KEY_MAX || strlen(id) >= sizeof run->id) return -1;
    strcpy(run->key, key);
    strcpy(run->id, id);
    run->ks.key = run->key;
    run->ks.id = run->id;
    return 1;
}

void list_csv(http_req *rq, http_resp *rs, const list_page *l, const list_source *src,
              const list_csv_spec *x)
{
    csv_run *run = arena_zalloc(rq->a, sizeof *run);
    run->src = *src;
    run->x = *x;
    run->ks = l->ks;
    run->ks.key = run->ks.id = NULL;
    run->ks.before = 0;
    run->ks.offset = 0;
    run->ks.limit = LIST_CSV_CHUNK;
    if (x->ncols > CSV_MAX_COLS) abort(); /* a programming error, caught by the first test */
    resp_download(rs, rq->a, "text/csv; charset=utf-8", x->filename);
    resp_stream(rs, rq, csv_fill, run);
}
