/* invoicing.h - the invoicing feature's routes: the customer's Facturen
 * (/mijn/facturen, with the PDF and the e-invoice) and the back office's
 * (/beheer/facturen: the list, Te factureren, one invoice). Called once
 * from app_routes. */
#ifndef KP_INVOICING_H
#define KP_INVOICING_H

#include "http/router.h"

void invoicing_routes(router *r);
void invoicing_admin_routes(router *r);

#endif
