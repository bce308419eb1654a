/* download.c - an invoice's PDF and e-invoice as downloads, for the
 * customer's Facturen and the back office alike (see internal.h). */
#include "app.h"
#include "core/log.h"
#include "http/download.h"
#include "invoicing/internal.h"
#include "invoicing/render.h"
#include "web/page.h"

/* What the worker needs; in the request's arena, which nothing else uses
 * while the request waits. */
typedef struct pdf_job {
    arena *a;
    const char *font_dir;
    const inv_invoice *inv;
    const char *data; /* the PDF, after the job */
    size_t len;
    int rc;
    char err[200];
} pdf_job;

/* On a worker. */
static void build_pdf(void *arg)
{
    pdf_job *j = arg;
    j->rc = inv_pdf(j->inv, j->font_dir, j->a, &j->data, &j->len, j->err, sizeof j->err);
}

int inv_pdf_resumed(http_req *rq, http_resp *rs)
{
    if (!rq->resumed) return 0;
    const pdf_job *j = rq->defer_arg;
    if (j->rc != 0) {
        log_error("factuur %s als pdf: %s", j->inv->number, j->err);
        page_error(rq, rs, 500);
        return 1;
    }
    resp_download(rs, rq->a, "application/pdf", inv_filename(j->inv, rq->a, "pdf"));
    rs->data = j->data;
    rs->len = j->len;
    return 1;
}

void inv_pdf_defer(http_req *rq, const inv_invoice *inv)
{
    pdf_job *j = arena_zalloc(rq->a, sizeof *j);
    j->a = rq->a;
    j->font_dir = rq->app->cfg.pdf_font_dir;
    j->inv = inv;
    req_defer(rq, build_pdf, j);
}

void inv_send_xml(http_req *rq, http_resp *rs, const inv_invoice *inv)
{
    size_t len = 0;
    const char *xml = inv_ubl(inv, rq->a, &len);
    resp_download(rs, rq->a, "application/xml", inv_filename(inv, rq->a, "xml"));
    rs->data = xml;
    rs->len = len;
}
