/* render.h - an issued invoice as documents: the PDF the customer
 * downloads and the mail carries, and the Dutch e-invoice (UBL 2.1 after the
 * NLCIUS / SI-UBL 2.0 rules, EN 16931 compliant) that public bodies book
 * automatically. Both are made only from the invoice's issued copy
 * (store.h), never from current data.
 *
 * Memory: the bytes are in the caller's arena. Thread-safety: no shared
 * state; inv_pdf parses its fonts anew per document (tens of milliseconds of
 * CPU), so a request builds it on the worker pool (req_defer).
 */
#ifndef KP_INVOICING_RENDER_H
#define KP_INVOICING_RENDER_H

#include <stddef.h>

#include "core/arena.h"
#include "invoicing/store.h"

/* The invoice (or credit note) as PDF: the provider's letterhead, the
 * invoice party's name and address (KvK and reference for an
 * organisation), number, dates, lines with their VAT rate (the exemption
 * stated on exempt lines), VAT per rate, totals, and how to pay (IBAN,
 * payment reference, due date). font_dir as pdf_new. Returns 0 with
 * *data and *len, or -1 with a reason (for the log) in err. */
int inv_pdf(const inv_invoice *inv, const char *font_dir, arena *a, const char **data, size_t *len,
            char *err, size_t errlen);

/* The invoice as a UBL 2.1 Invoice, a credit note as a UBL 2.1 CreditNote
 * (amounts positive, referring to the corrected invoice), UTF-8, in a.
 * Never NULL. */
const char *inv_ubl(const inv_invoice *inv, arena *a, size_t *len);

/* File names: "factuur-2026-000123.pdf" / ".xml" ("creditnota-…" for a
 * credit note). */
const char *inv_filename(const inv_invoice *inv, arena *a, const char *ext);

#endif
