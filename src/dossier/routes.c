/* routes.c - see dossier.h */
#include "dossier/dossier.h"
#include "dossier/internal.h"

void dossier_routes(router *r)
{
    dossier_admin_routes(r);
    dossier_message_routes(r);
}
