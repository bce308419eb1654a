/* internal.h - what the files of src/invoicing/ share and no other folder
 * uses. */
#ifndef KP_INVOICING_INTERNAL_H
#define KP_INVOICING_INTERNAL_H

#include "http/http.h"
#include "invoicing/store.h"
#include "web/tmpl.h"

/* v as a decimal string in a (a statement parameter). */
const char *inv_num(arena *a, long long v);

/* The lines, VAT per rate and totals of inv into ctx for the partial
 * invoicing/amounts (keys lines, vats, net, vat, total, credit); staff: each
 * line links to its registration in the back office. */
void inv_view_amounts(arena *a, tv *ctx, const inv_invoice *inv, int staff);

/* The invoice's PDF as a download. Building it parses fonts (tens of
 * milliseconds), so it runs on the worker pool: a GET handler first asks
 * inv_pdf_resumed (1: the request came back from the worker and is
 * answered), else loads the invoice within its scope and calls
 * inv_pdf_defer. */
int inv_pdf_resumed(http_req *rq, http_resp *rs);
void inv_pdf_defer(http_req *rq, const inv_invoice *inv);
/* The e-invoice (UBL) as an application/xml download. */
void inv_send_xml(http_req *rq, http_resp *rs, const inv_invoice *inv);

#endif
