/* receipt.c - Bevestiging on Cursussen: POST /mijn/cursussen/bevestiging
 * with the ticked rows (field inschrijving, once per row) gives one PDF
 * with each chosen registration: participant, course, event, date,
 * location, who is invoiced and where it stands. A registration the
 * administratie has not processed yet says "aanmelding ontvangen", never
 * "bevestigd". The rows are the ones Afmelden may reach (the person's own,
 * or, for a beheerder acting for an organisation, those it pays); any
 * other id is not found (404).
 *
 * Building a PDF parses its fonts (some tens of milliseconds of CPU), so
 * the document is made on the worker pool (req_defer), as password hashing
 * is: a burst of downloads never holds up the request threads. The rows
 * are read before, on the request's connection. */
#include <stdio.h>
#include <string.h>

#include "auth/session.h"
#include "core/log.h"
#include "core/names.h"
#include "core/pdf.h"
#include "core/timeutil.h"
#include "enrolment/internal.h"
#include "enrolment/mine.h"
#include "http/download.h"
#include "web/flash.h"
#include "web/page.h"

#define FILENAME "bevestiging-inschrijvingen.pdf"

/* What the worker needs; in the request's arena, which nothing else uses
 * while the request waits. */
typedef struct receipt_job {
    arena *a;
    const char *font_dir;
    const db_res *rows; /* mine_selected */
    const char *today;
    const char *data; /* the PDF, after the job */
    size_t len;
    int rc;
    char err[200];
} receipt_job;

/* Where the registration stands, in the words of the document. */
static const char *standing(arena *a, const db_res *r, int i)
{
    const char *s = db_val(r, i, "status");
    if (strcmp(s, "verwerkt") == 0) return "bevestigd";
    if (strcmp(s, "wachtlijst") == 0)
        return arena_printf(a, "op de wachtlijst (plaats %lld)", db_int(r, i, "position"));
    return "aanmelding ontvangen (nog niet verwerkt door de administratie)";
}

static void one(pdf_doc *d, arena *a, const db_res *r, int i)
{
    const char *name =
        names_full(a, db_val(r, i, "first_name"), db_val(r, i, "infix"), db_val(r, i, "last_name"));
    const char *org = db_val(r, i, "org_name");
    pdf_heading(d, mine_course_label(a, db_val(r, i, "event_name"), db_val(r, i, "course_name")));
    pdf_row(d, "Deelnemer", name);
    pdf_row(d, "Cursus", db_val(r, i, "course_name"));
    pdf_row(d, "Evenement", db_val(r, i, "event_name"));
    pdf_row(d, "Datum",
            enrol_when(a, db_val(r, i, "starts_on"), db_val(r, i, "ends_on"),
                       db_val(r, i, "start_time"), db_val(r, i, "end_time")));
    pdf_row(d, "Locatie", db_val(r, i, "location"));
    pdf_row(d, "Factuur aan", org ? org : name);
    pdf_row(d, "Status", standing(a, r, i));
    pdf_space(d, 10);
}

/* On a worker: the whole document. */
static void build(void *arg)
{
    receipt_job *j = arg;
    j->rc = -1;
    pdf_doc *d = pdf_new(j->font_dir, "Bevestiging inschrijvingen", j->err, sizeof j->err);
    if (!d) return;
    pdf_letterhead(d);
    pdf_heading(d, j->rows->nrows > 1 ? "Bevestiging van uw inschrijvingen"
                                      : "Bevestiging van uw inschrijving");
    pdf_text(d, arena_printf(j->a, "Overzicht opgemaakt op %s.", date_long_nl(j->a, j->today)));
    pdf_space(d, 6);
    for (int i = 0; i < j->rows->nrows; i++)
        one(d, j->a, j->rows, i);
    pdf_text(d, "Een inschrijving met de status \"aanmelding ontvangen\" is nog niet verwerkt "
                "door de administratie. Na verwerking volgt een bevestiging per e-mail. Vragen? "
                "Neem contact op met de administratie: 0223-611310.");
    j->rc = pdf_finish(d, j->a, &j->data, &j->len);
    if (j->rc != 0) snprintf(j->err, sizeof j->err, "%s", pdf_error(d));
    pdf_free(d);
}

static void finish(http_req *rq, http_resp *rs, const receipt_job *j)
{
    if (j->rc != 0) {
        log_error("bevestiging als pdf: %s", j->err);
        page_error(rq, rs, 500);
        return;
    }
    resp_download(rs, rq->a, "application/pdf", FILENAME);
    rs->data = j->data;
    rs->len = j->len;
}

static void receipt_post(http_req *rq, http_resp *rs)
{
    if (rq->resumed) {
        finish(rq, rs, rq->defer_arg);
        return;
    }
    const auth_ctx *u = auth_user(rq);
    const char *ids[MINE_MAX_SELECTED];
    int n = mine_read_ids(rq, ids);
    if (n < 0) {
        page_error(rq, rs, 404);
        return;
    }
    if (n == 0) {
        flash_set(rq, rs, "niets-gekozen");
        resp_redirect(rs, rq->a, 303, "/mijn/cursussen");
        return;
    }
    /* reading only: a form of another context shows what this one may */
    db_res *rows = mine_selected(req_db(rq), rq->a, ids, n, u->person_id,
                                 u->org_id && u->beheerder ? u->org_id : 0);
    if (!rows) {
        page_db_error(rq, rs);
        return;
    }
    if (rows->nrows != n) {
        page_error(rq, rs, 404);
        return;
    }
    receipt_job *j = arena_zalloc(rq->a, sizeof *j);
    j->a = rq->a;
    j->font_dir = rq->app->cfg.pdf_font_dir;
    j->rows = rows;
    j->today = date_today_plus(rq->a, 0);
    req_defer(rq, build, j);
}

static const field_spec receipt_fields[] = {
    {"inschrijving", IN_FORM | IN_REPEATED, FK_ID, 20},
    {NULL, 0, 0, 0},
};

static const route routes[] = {
    {"POST", "/mijn/cursussen/bevestiging", receipt_post, receipt_fields, RF_LOGIN},
};

void enrolment_receipt_routes(router *r)
{
    router_add_all(r, routes);
}
