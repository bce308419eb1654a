/* ubl.c - the issued invoice as a Dutch e-invoice (see render.h): UBL 2.1
 * after the NLCIUS (SI-UBL 2.0), which is EN 16931 with Dutch rules on top:
 * the provider and a Dutch organisation known by their KvK number (scheme
 * 0106), street, postcode and city on every Dutch address, the corrected
 * invoice on a credit note, and only the payment means the Dutch rules
 * allow (30, credit transfer, to the provider's IBAN).
 *
 * Everything comes from the issued copy; the only constants added are the
 * provider's country and BIC, which the copy does not hold. A credit note's
 * stored amounts are negative; UBL wants them positive in a CreditNote, so
 * every amount is multiplied by the document's sign. */
#include <stdint.h>
#include <string.h>

#include "core/buf.h"
#include "core/provider.h"
#include "core/utf8.h"
#include "invoicing/render.h"
#include "invoicing/ubl.h"

#define NS_CAC "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
#define NS_CBC "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"
#define NLCIUS "urn:cen.eu:en16931:2017#compliant#urn:fdc:nen.nl:nlcius:v1.0"
/* EAS / ICD scheme of the Dutch Chamber of Commerce number. */
#define SCHEME_KVK "0106"

/* Characters XML 1.0 allows in a document. */
static int xml_char(long cp)
{
    return cp == 0x9 || cp == 0xA || cp == 0xD || (cp >= 0x20 && cp <= 0xD7FF) ||
           (cp >= 0xE000 && cp <= 0xFFFD) || cp >= 0x10000;
}

void inv_xml_text(buf *b, const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    while (i < n) {
        size_t len;
        long cp = utf8_next(p + i, n - i, &len);
        if (cp < 0) {
            buf_puts(b, "\xEF\xBF\xBD"); /* U+FFFD, the replacement character */
        } else if (cp == '&') {
            buf_puts(b, "&amp;");
        } else if (cp == '<') {
            buf_puts(b, "&lt;");
        } else if (cp == '>') {
            buf_puts(b, "&gt;");
        } else if (cp == '"') {
            buf_puts(b, "&quot;");
        } else if (cp == '\'') {
            buf_puts(b, "&apos;");
        } else if (xml_char(cp)) {
            buf_add(b, p + i, len);
        }
        i += len;
    }
}

static const char *or_empty(const char *s)
{
    return s ? s : "";
}

static void text(buf *b, const char *s)
{
    s = or_empty(s);
    inv_xml_text(b, s, strlen(s));
}

/* <cbc:tag>s</cbc:tag>, also when s is empty (the element is required). */
static void el(buf *b, const char *tag, const char *s)
{
    buf_printf(b, "<cbc:%s>", tag);
    text(b, s);
    buf_printf(b, "</cbc:%s>", tag);
}

/* The same, left out when there is nothing to say: EN 16931 readers refuse
 * empty elements. */
static void opt(buf *b, const char *tag, const char *s)
{
    if (s && *s) el(b, tag, s);
}

/* An identifier with its scheme: <cbc:tag schemeID="scheme">id</cbc:tag>. */
static void scheme_id(buf *b, const char *tag, const char *scheme, const char *id)
{
    buf_printf(b, "<cbc:%s schemeID=\"%s\">", tag, scheme);
    text(b, id);
    buf_printf(b, "</cbc:%s>", tag);
}

/* Euros with two decimals and a dot, in euro: "1234.50", "-0.05". */
static void amount(buf *b, const char *tag, long long cents)
{
    unsigned long long v = cents < 0 ? 0ULL - (unsigned long long)cents : (unsigned long long)cents;
    buf_printf(b, "<cbc:%s currencyID=\"EUR\">%s%llu.%02llu</cbc:%s>", tag, cents < 0 ? "-" : "",
               v / 100, v % 100, tag);
}

/* "2026-03-31" as the Dutch read it, "31-03-2026"; anything else as is. */
static const char *nl_date(arena *a, const char *iso)
{
    iso = or_empty(iso);
    if (strlen(iso) != 10) return iso;
    return arena_printf(a, "%.2s-%.2s-%.4s", iso + 8, iso + 5, iso);
}

static void address(buf *b, const char *street, const char *city, const char *postcode)
{
    buf_puts(b, "<cac:PostalAddress>");
    el(b, "StreetName", street);
    el(b, "CityName", city);
    el(b, "PostalZone", postcode);
    buf_puts(b, "<cac:Country><cbc:IdentificationCode>" PROVIDER_COUNTRY
                "</cbc:IdentificationCode></cac:Country></cac:PostalAddress>");
}

static void tax_scheme(buf *b)
{
    buf_puts(b, "<cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme>");
}

static void seller(buf *b, const inv_seller *s)
{
    buf_puts(b, "<cac:AccountingSupplierParty><cac:Party>");
    scheme_id(b, "EndpointID", SCHEME_KVK, s->kvk);
    buf_puts(b, "<cac:PartyName>");
    el(b, "Name", s->name);
    buf_puts(b, "</cac:PartyName>");
    address(b, s->street, s->city, s->postcode);
    buf_puts(b, "<cac:PartyTaxScheme>");
    el(b, "CompanyID", s->vat);
    tax_scheme(b);
    buf_puts(b, "</cac:PartyTaxScheme><cac:PartyLegalEntity>");
    el(b, "RegistrationName", s->name);
    scheme_id(b, "CompanyID", SCHEME_KVK, s->kvk);
    buf_puts(b, "</cac:PartyLegalEntity><cac:Contact>");
    opt(b, "Telephone", s->phone);
    opt(b, "ElectronicMail", s->email);
    buf_puts(b, "</cac:Contact></cac:Party></cac:AccountingSupplierParty>");
}

/* An organisation is reached by its KvK number, else by its invoice email
 * (scheme EM); a person is named and addressed, nothing more. */
static void buyer(buf *b, arena *a, const inv_invoice *inv)
{
    const inv_party *p = &inv->party;
    int org = inv->organisation_id != 0;
    int kvk = org && p->kvk && *p->kvk;
    buf_puts(b, "<cac:AccountingCustomerParty><cac:Party>");
    if (kvk)
        scheme_id(b, "EndpointID", SCHEME_KVK, p->kvk);
    else if (org && p->email && *p->email)
        scheme_id(b, "EndpointID", "EM", p->email);
    buf_puts(b, "<cac:PartyName>");
    el(b, "Name", p->name);
    buf_puts(b, "</cac:PartyName>");
    const char *street = or_empty(p->street);
    if (p->house_number && *p->house_number)
        street = arena_printf(a, "%s %s", street, p->house_number);
    address(b, street, p->city, p->postcode);
    buf_puts(b, "<cac:PartyLegalEntity>");
    el(b, "RegistrationName", p->name);
    if (kvk) scheme_id(b, "CompanyID", SCHEME_KVK, p->kvk);
    buf_puts(b, "</cac:PartyLegalEntity>");
    if (org && ((p->attention && *p->attention) || (p->email && *p->email))) {
        buf_puts(b, "<cac:Contact>");
        opt(b, "Name", p->attention);
        opt(b, "ElectronicMail", p->email);
        buf_puts(b, "</cac:Contact>");
    }
    buf_puts(b, "</cac:Party></cac:AccountingCustomerParty>");
}

/* Credit transfer to the provider's account with the payment reference. A
 * credit note names the same account and reference, so the customer can
 * match the refund or the set-off with what was paid. */
static void payment(buf *b, arena *a, const inv_invoice *inv)
{
    buf_puts(b, "<cac:PaymentMeans><cbc:PaymentMeansCode>30</cbc:PaymentMeansCode>");
    if (inv->credit) opt(b, "PaymentDueDate", inv->due_date);
    opt(b, "PaymentID", inv->payment_reference);
    buf_puts(b, "<cac:PayeeFinancialAccount>");
    el(b, "ID", inv->seller.iban);
    opt(b, "Name", inv->seller.name);
    buf_puts(b, "<cac:FinancialInstitutionBranch><cbc:ID>" PROVIDER_BIC
                "</cbc:ID></cac:FinancialInstitutionBranch>");
    buf_puts(b, "</cac:PayeeFinancialAccount></cac:PaymentMeans><cac:PaymentTerms>");
    const char *due = nl_date(a, inv->due_date), *ref = or_empty(inv->payment_reference);
    if (inv->credit)
        el(b, "Note",
           arena_printf(a,
                        "Creditnota op factuur %s; het bedrag wordt uiterlijk %s verrekend of "
                        "terugbetaald.",
                        or_empty(inv->credit_of_number), due));
    else
        el(b, "Note",
           arena_printf(a, "Te betalen uiterlijk %s op %s onder vermelding van %s.", due,
                        or_empty(inv->seller.iban), ref));
    buf_puts(b, "</cac:PaymentTerms>");
}

/* The VAT category: S (standard rate) or E (exempt, 0 %). */
static void category(buf *b, int rate, int with_reason)
{
    buf_printf(b, "<cbc:ID>%s</cbc:ID><cbc:Percent>%d</cbc:Percent>", rate ? "S" : "E", rate);
    if (!rate && with_reason) el(b, "TaxExemptionReason", INV_EXEMPT_TEXT);
    tax_scheme(b);
}

static void tax_total(buf *b, const inv_invoice *inv, int sign)
{
    buf_puts(b, "<cac:TaxTotal>");
    amount(b, "TaxAmount", sign * inv->vat_cents);
    for (int k = 0; k < inv->nvats; k++) {
        const inv_vat *v = &inv->vats[k];
        buf_puts(b, "<cac:TaxSubtotal>");
        amount(b, "TaxableAmount", sign * v->net_cents);
        amount(b, "TaxAmount", sign * v->vat_cents);
        buf_puts(b, "<cac:TaxCategory>");
        category(b, v->rate, 1);
        buf_puts(b, "</cac:TaxCategory></cac:TaxSubtotal>");
    }
    buf_puts(b, "</cac:TaxTotal>");
}

static void totals(buf *b, const inv_invoice *inv, int sign)
{
    buf_puts(b, "<cac:LegalMonetaryTotal>");
    amount(b, "LineExtensionAmount", sign * inv->net_cents);
    amount(b, "TaxExclusiveAmount", sign * inv->net_cents);
    amount(b, "TaxInclusiveAmount", sign * inv->total_cents);
    amount(b, "PayableAmount", sign * inv->total_cents);
    buf_puts(b, "</cac:LegalMonetaryTotal>");
}

/* One unit ("C62", one) at the line's price. A price is never negative in
 * EN 16931, so a negative line is minus one unit at the positive price. */
static void line(buf *b, const inv_line *l, int pos, int credit, int sign)
{
    const char *tag = credit ? "CreditNoteLine" : "InvoiceLine";
    const char *qty = credit ? "CreditedQuantity" : "InvoicedQuantity";
    long long net = sign * l->net_cents;
    buf_printf(b, "<cac:%s><cbc:ID>%d</cbc:ID>", tag, pos);
    buf_printf(b, "<cbc:%s unitCode=\"C62\">%s</cbc:%s>", qty, net < 0 ? "-1" : "1", qty);
    amount(b, "LineExtensionAmount", net);
    buf_puts(b, "<cac:Item>");
    el(b, "Name", l->description);
    buf_puts(b, "<cac:ClassifiedTaxCategory>");
    category(b, l->vat_rate, 0);
    buf_puts(b, "</cac:ClassifiedTaxCategory></cac:Item><cac:Price>");
    amount(b, "PriceAmount", net < 0 ? -net : net);
    buf_printf(b, "</cac:Price></cac:%s>", tag);
}

const char *inv_ubl(const inv_invoice *inv, arena *a, size_t *len)
{
    const char *root = inv->credit ? "CreditNote" : "Invoice";
    int sign = inv->credit ? -1 : 1;
    buf b;
    buf_init(&b, a, 8192);
    buf_printf(&b,
               "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<%s "
               "xmlns=\"urn:oasis:names:specification:ubl:schema:xsd:%s-2\" xmlns:cac=\"" NS_CAC
               "\" xmlns:cbc=\"" NS_CBC "\">\n",
               root, root);
    el(&b, "CustomizationID", NLCIUS);
    el(&b, "ID", inv->number);
    el(&b, "IssueDate", inv->invoice_date);
    if (!inv->credit) el(&b, "DueDate", inv->due_date);
    el(&b, inv->credit ? "CreditNoteTypeCode" : "InvoiceTypeCode", inv->credit ? "381" : "380");
    buf_puts(&b, "<cbc:DocumentCurrencyCode>EUR</cbc:DocumentCurrencyCode>");
    /* The customer's own reference routes the invoice on their side; without
     * one, our number is the reference they know from the PDF. */
    el(&b, "BuyerReference",
       inv->reference && *inv->reference ? inv->reference : or_empty(inv->number));
    if (inv->credit && inv->credit_of_number && *inv->credit_of_number) {
        buf_puts(&b, "<cac:BillingReference><cac:InvoiceDocumentReference>");
        el(&b, "ID", inv->credit_of_number);
        opt(&b, "IssueDate", inv->credit_of_date);
        buf_puts(&b, "</cac:InvoiceDocumentReference></cac:BillingReference>");
    }
    buf_putc(&b, '\n');
    seller(&b, &inv->seller);
    buf_putc(&b, '\n');
    buyer(&b, a, inv);
    buf_putc(&b, '\n');
    payment(&b, a, inv);
    buf_putc(&b, '\n');
    tax_total(&b, inv, sign);
    totals(&b, inv, sign);
    buf_putc(&b, '\n');
    for (int i = 0; i < inv->nlines; i++) {
        line(&b, &inv->lines[i], i + 1, inv->credit, sign);
        buf_putc(&b, '\n');
    }
    buf_printf(&b, "</%s>\n", root);
    if (len) *len = b.len;
    return b.data;
}
