/* mails.c - "Nieuwe factuur" and the payment reminder (see mails.h). Both
 * carry the invoice's PDF, made from the issued copy; the facts in the
 * text come from that copy too. */
#include "invoicing/mails.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "core/log.h"
#include "core/timeutil.h"
#include "invoicing/render.h"
#include "invoicing/store.h"
#include "mail/mail.h"
#include "mail/render.h"

/* Reminders sent per run at most; the next run takes the rest. */
#define REMINDER_BATCH 200
#define STR_(x) #x
#define STR(x) STR_(x)

/* The mail of an invoice, rendered and with its PDF, ready to queue. */
typedef struct inv_mail {
    const inv_invoice *inv;
    long long owed; /* a reminder: what is left after credit notes; 0: the total */
    mail_msg msg;
    mail_attachment pdf;
    long long now;
} inv_mail;

static tv *mail_ctx(arena *a, const app *ap, const inv_invoice *inv, int reminder, long long owed)
{
    tv *ctx = tv_obj(a);
    const char *kind = inv->credit ? "Creditfactuur" : "Factuur";
    tv_set_str(ctx, "subject",
               reminder ? arena_printf(a, "Herinnering: factuur %s - Onderwijsgroep", inv->number)
                        : arena_printf(a, "Nieuwe %s %s - Onderwijsgroep",
                                       inv->credit ? "creditfactuur" : "factuur", inv->number));
    const char *attn = inv->party.attention;
    tv_set_str(ctx, "name", attn && *attn ? attn : inv->party.name);
    tv_set_str(ctx, "party", inv->party.name);
    tv_set_str(ctx, "kind", kind);
    tv_set_bool(ctx, "credit", inv->credit);
    tv_set_str(ctx, "number", inv->number);
    tv_set_str(ctx, "date", date_nl(a, inv->invoice_date));
    tv_set_str(ctx, "due", date_nl(a, inv->due_date));
    tv_set_str(ctx, "amount", money_nl(a, inv->credit ? -inv->total_cents : inv->total_cents));
    if (owed > 0 && owed != inv->total_cents) tv_set_str(ctx, "owed", money_nl(a, owed));
    tv_set_str(ctx, "reference", inv->reference && *inv->reference ? inv->reference : NULL);
    tv_set_str(ctx, "credit_of", inv->credit_of_number);
    tv_set_str(ctx, "payment_reference", inv->payment_reference);
    tv_set_str(ctx, "seller", inv->seller.name);
    tv_set_str(ctx, "iban", inv->seller.iban);
    tv_set_str(ctx, "filename", inv_filename(inv, a, "pdf"));
    tv_set_str(ctx, "link", arena_printf(a, "%s/mijn/facturen/%s", ap->cfg.base_url, inv->number));
    return ctx;
}

/* Loads the invoice and renders its mail and PDF, outside any transaction
 * (the PDF takes a while). 0, 1 when there is nothing to send (no such
 * invoice, no address: logged), -1 with err. */
static int prepare(db_conn *c, arena *a, const app *ap, long long id, int reminder, inv_mail *m,
                   char *err, size_t errlen)
{
    inv_invoice *inv = NULL;
    int rc = inv_load_id(c, a, id, &inv);
    if (rc < 0) {
        snprintf(err, errlen, "factuur %lld laden: %s", id, db_errmsg(c));
        return -1;
    }
    if (rc == 0 || !inv->party.email || !*inv->party.email) {
        log_info("factuur %lld: %s, geen e-mail verstuurd", id,
                 rc == 0 ? "bestaat niet" : "geen e-mailadres");
        return 1;
    }
    m->inv = inv;
    if (mail_render(ap->tmpl, a, reminder ? "factuur_herinnering" : "factuur",
                    mail_ctx(a, ap, inv, reminder, m->owed), &m->msg) != 0) {
        snprintf(err, errlen, "sjabloon factuur ontbreekt");
        return -1;
    }
    m->msg.to_address = inv->party.email;
    m->msg.to_name = inv->party.name;
    const char *data = NULL;
    size_t len = 0;
    if (inv_pdf(inv, ap->cfg.pdf_font_dir, a, &data, &len, err, errlen) != 0) return -1;
    m->pdf = (mail_attachment){inv_filename(inv, a, "pdf"), "application/pdf", data, len};
    return 0;
}

static int queue(db_conn *c, arena *a, const inv_mail *m)
{
    long long id = mail_enqueue(c, a, &m->msg);
    return id > 0 && mail_attach(c, a, id, &m->pdf) == 0 ? 0 : -1;
}

/* A db_tx unit: the mail, unless a run that died after committing queued
 * it already (its file names the invoice). */
static int new_invoice_unit(db_conn *c, arena *a, void *arg)
{
    const inv_mail *m = arg;
    db_res *r = NULL;
    if (db_q(c, a, &r,
             "SELECT 1 FROM outbox o JOIN outbox_attachments f ON f.outbox_id = o.id"
             " WHERE o.to_address = $1 AND f.filename = $2 AND o.subject = $3",
             m->msg.to_address, m->pdf.filename, m->msg.subject) < 0)
        return -1;
    return r->nrows > 0 ? 1 : queue(c, a, m);
}

int inv_mail_job(db_conn *c, arena *a, const char *payload, void *ctx, char *err, size_t errlen)
{
    long long id = strtoll(payload, NULL, 10);
    inv_mail m = {0};
    int rc = prepare(c, a, ctx, id, 0, &m, err, errlen);
    if (rc != 0) return rc < 0 ? -1 : 0;
    if (db_tx(c, a, new_invoice_unit, &m) < 0) {
        snprintf(err, errlen, "factuurmail %s: %s", m.inv->number, db_errmsg(c));
        return -1;
    }
    return 0;
}

/* A db_tx unit: claims the reminder of one invoice and queues it; 1 when
 * another run (or a payment) got there first. */
static int reminder_unit(db_conn *c, arena *a, void *arg)
{
    const inv_mail *m = arg;
    int n = db_q(c, a, NULL,
                 "UPDATE invoices SET reminder_sent_at = $1 WHERE id = $2"
                 " AND reminder_sent_at IS NULL AND status = 'open'",
                 arena_printf(a, "%lld", m->now), arena_printf(a, "%lld", m->inv->id));
    if (n < 0) return -1;
    return n == 0 ? 1 : queue(c, a, m);
}

int inv_reminder_job(db_conn *c, arena *a, const char *payload, void *ctx, char *err, size_t errlen)
{
    (void)payload;
    (void)a; /* the runner's arena: each invoice gets its own, a PDF is large */
    const app *ap = ctx;
    arena *one = arena_new(0);
    const char *before = date_today_plus(one, -INV_REMINDER_DAYS);
    db_res *due = NULL;
    /* what is still owed: the invoice less its credit notes; a wholly
     * credited invoice is owed nothing and gets no reminder */
#define OWED                                                                                       \
    "i.amount_cents + COALESCE((SELECT sum(c.amount_cents) FROM invoices c"                        \
    " WHERE c.credit_of = i.id), 0)"
    int rc = db_q(c, one, &due,
                  "SELECT i.id, " OWED " AS owed FROM invoices i WHERE i.status = 'open'"
                  " AND i.kind = 'factuur' AND i.reminder_sent_at IS NULL AND i.due_date <= $1"
                  " AND i.party_email <> '' AND " OWED " > 0 ORDER BY i.id"
                  " LIMIT " STR(REMINDER_BATCH),
                  before);
    int failed = rc < 0;
    if (failed) snprintf(err, errlen, "herinneringen zoeken: %s", db_errmsg(c));
    long long ids[REMINDER_BATCH], owed[REMINDER_BATCH];
    int n = failed ? 0 : due->nrows;
    for (int i = 0; i < n; i++) {
        ids[i] = db_int(due, i, "id");
        owed[i] = db_int(due, i, "owed");
    }
    for (int i = 0; i < n; i++) {
        arena_reset(one);
        inv_mail m = {.now = (long long)clock_now(), .owed = owed[i]};
        int p = prepare(c, one, ap, ids[i], 1, &m, err, errlen);
        if (p != 0) {
            failed |= p < 0;
            continue;
        }
        if (db_tx(c, one, reminder_unit, &m) < 0) {
            snprintf(err, errlen, "herinnering %s: %s", m.inv->number, db_errmsg(c));
            failed = 1;
        }
    }
    arena_free(one);
    return failed ? -1 : 0;
}
