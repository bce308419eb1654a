/* catalog.h - the public catalog: Ons aanbod (category tree and course
 * pages) and the Cursusagenda. */
#ifndef KP_CATALOG_H
#define KP_CATALOG_H

#include "http/router.h"

void catalog_routes(router *r);

#endif
