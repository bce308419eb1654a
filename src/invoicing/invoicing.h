/* invoicing.h - the routes of invoicing: the customer's Facturen
 * (/mijn/facturen: the list, an invoice's page, its PDF and e-invoice). */
#ifndef KP_INVOICING_H
#define KP_INVOICING_H

#include "http/router.h"

void invoicing_routes(router *r);

#endif
