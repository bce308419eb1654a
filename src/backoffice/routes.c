/* routes.c - the back office's own routes. */
#include "backoffice/backoffice.h"
#include "backoffice/internal.h"

void backoffice_routes(router *r)
{
    backoffice_start_routes(r);
    backoffice_audit_routes(r);
}
