/* pdf.c - an issued invoice or credit note as PDF (render.h), in Dutch:
 * the letterhead, the invoice party, the facts (number, dates, reference,
 * the corrected invoice), the lines with their VAT rate, VAT per rate and
 * totals, how to pay and the provider's KvK and VAT numbers.
 *
 * Everything comes from the issued copy in the inv_invoice, never from
 * current data; a missing (NULL) text prints as nothing, so a document is
 * never refused for a field the copy lacks. Any UTF-8 (or none) in names
 * and descriptions is the builder's concern (core/pdf.h). */
#include <stdio.h>
#include <string.h>

#include "core/buf.h"
#include "core/pdf.h"
#include "core/timeutil.h"
#include "invoicing/render.h"

static const char *str(const char *s)
{
    return s ? s : "";
}

static int has(const char *s)
{
    return s && *s;
}

/* "a b", or just the one that is there. */
static const char *joined(arena *a, const char *x, const char *y)
{
    if (!has(x)) return str(y);
    if (!has(y)) return x;
    return arena_printf(a, "%s %s", x, y);
}

static void party_block(pdf_doc *d, arena *a, const inv_invoice *inv)
{
    const inv_party *p = &inv->party;
    buf b;
    buf_init(&b, a, 256);
    buf_puts(&b, str(p->name));
    if (has(p->attention)) buf_printf(&b, "\nt.a.v. %s", p->attention);
    const char *street = joined(a, p->street, p->house_number);
    const char *place = joined(a, p->postcode, p->city);
    if (*street) buf_printf(&b, "\n%s", street);
    if (*place) buf_printf(&b, "\n%s", place);
    if (inv->organisation_id && has(p->kvk)) buf_printf(&b, "\nKvK-nummer %s", p->kvk);
    pdf_text(d, b.data);
}

static void facts_block(pdf_doc *d, arena *a, const inv_invoice *inv)
{
    pdf_row(d, "Factuurnummer", str(inv->number));
    pdf_row(d, "Factuurdatum", date_long_nl(a, inv->invoice_date));
    if (!inv->credit) pdf_row(d, "Vervaldatum", date_long_nl(a, inv->due_date));
    if (has(inv->reference)) pdf_row(d, "Referentie", inv->reference);
    if (inv->credit)
        pdf_row(d, "Betreft",
                arena_printf(a, "Creditering van factuur %s van %s", str(inv->credit_of_number),
                             date_long_nl(a, inv->credit_of_date)));
    if (has(inv->payment_reference)) pdf_row(d, "Betalingskenmerk", inv->payment_reference);
    if (has(inv->paid_on)) pdf_row(d, "Betaald op", date_long_nl(a, inv->paid_on));
}

static void lines_table(pdf_doc *d, arena *a, const inv_invoice *inv)
{
    static const pdf_col cols[] = {
        {"Omschrijving", 0, 0}, {"Btw", 75, 0}, {"Bedrag excl. btw", PDF_SUM_W, 1}};
    int n = inv->lines && inv->nlines > 0 ? inv->nlines : 0;
    const char **cells = arena_alloc(a, (size_t)(n ? n : 1) * 3 * sizeof *cells);
    for (int i = 0; i < n; i++) {
        const inv_line *l = &inv->lines[i];
        /* the exemption is stated on the line itself, as the law asks */
        cells[i * 3] = l->vat_rate == 0
                           ? arena_printf(a, "%s\n%s", str(l->description), INV_EXEMPT_TEXT)
                           : str(l->description);
        cells[i * 3 + 1] = l->vat_rate == 0 ? "vrijgesteld" : arena_printf(a, "%d%%", l->vat_rate);
        cells[i * 3 + 2] = money_nl(a, l->net_cents);
    }
    pdf_table(d, cols, 3, cells, n);
}

static void totals_block(pdf_doc *d, arena *a, const inv_invoice *inv)
{
    for (int k = 0; k < inv->nvats && k < 2; k++) {
        const inv_vat *v = &inv->vats[k];
        const char *label =
            v->rate == 0 ? arena_printf(a, "Vrijgesteld van btw over %s", money_nl(a, v->net_cents))
                         : arena_printf(a, "Btw %d%% over %s", v->rate, money_nl(a, v->net_cents));
        pdf_sum(d, label, money_nl(a, v->vat_cents), 0);
    }
    pdf_space(d, 4);
    pdf_sum(d, "Totaal excl. btw", money_nl(a, inv->net_cents), 0);
    pdf_sum(d, "Btw", money_nl(a, inv->vat_cents), 0);
    pdf_sum(d, inv->credit ? "Totaal te crediteren" : "Totaal te betalen",
            money_nl(a, inv->total_cents), 1);
}

static void payment_block(pdf_doc *d, arena *a, const inv_invoice *inv)
{
    const inv_seller *s = &inv->seller;
    pdf_heading(d, "Betaling");
    if (inv->credit) {
        long long back = inv->total_cents < 0 ? -inv->total_cents : inv->total_cents;
        pdf_text(d, arena_printf(a,
                                 "Het bedrag van %s wordt verrekend met factuur %s. Is die factuur "
                                 "al betaald, dan storten wij het bedrag terug op de rekening "
                                 "waarvan u betaalde, onder vermelding van %s.",
                                 money_nl(a, back), str(inv->credit_of_number),
                                 str(inv->payment_reference)));
    } else {
        pdf_text(d, arena_printf(a,
                                 "Gelieve %s vóór %s over te maken op %s t.n.v. %s onder "
                                 "vermelding van %s.",
                                 money_nl(a, inv->total_cents), date_long_nl(a, inv->due_date),
                                 str(s->iban), str(s->name), str(inv->payment_reference)));
    }
    buf b;
    buf_init(&b, a, 256);
    buf_puts(&b, str(s->name));
    if (has(s->kvk)) buf_printf(&b, " · KvK-nummer %s", s->kvk);
    if (has(s->vat)) buf_printf(&b, " · Btw-nummer %s", s->vat);
    if (has(s->iban)) buf_printf(&b, " · IBAN %s", s->iban);
    pdf_text(d, b.data);
}

int inv_pdf(const inv_invoice *inv, const char *font_dir, arena *a, const char **data, size_t *len,
            char *err, size_t errlen)
{
    *data = NULL;
    *len = 0;
    if (!inv) {
        snprintf(err, errlen, "Geen factuur om als PDF te maken");
        return -1;
    }
    const char *kind = inv->credit ? "Creditfactuur" : "Factuur";
    pdf_doc *d = pdf_new(font_dir, arena_printf(a, "%s %s", kind, str(inv->number)), err, errlen);
    if (!d) return -1;
    pdf_letterhead(d);
    pdf_heading(d, kind);
    party_block(d, a, inv);
    pdf_space(d, 6);
    facts_block(d, a, inv);
    pdf_space(d, 10);
    lines_table(d, a, inv);
    totals_block(d, a, inv);
    pdf_space(d, 6);
    payment_block(d, a, inv);
    int rc = pdf_finish(d, a, data, len);
    if (rc != 0) snprintf(err, errlen, "%s", pdf_error(d));
    pdf_free(d);
    return rc;
}

const char *inv_filename(const inv_invoice *inv, arena *a, const char *ext)
{
    /* the name goes into a Content-Disposition header: only the number's
     * own characters, whatever the copy holds */
    const char *num = str(inv->number);
    char *safe = arena_alloc(a, strlen(num) + 1), *o = safe;
    for (const char *p = num; *p; p++)
        if ((*p >= '0' && *p <= '9') || *p == '-') *o++ = *p;
    *o = '\0';
    const char *e = str(ext);
    if (*e == '.') e++;
    return arena_printf(a, "%s-%s.%s", inv->credit ? "creditnota" : "factuur", safe, e);
}
