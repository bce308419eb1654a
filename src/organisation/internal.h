/* internal.h - what the organisation pages share (handlers.c, contacts.c,
 * unlink.c). Private to src/organisation/. */
#ifndef KP_ORGANISATION_INTERNAL_H
#define KP_ORGANISATION_INTERNAL_H

#include "db/db.h"
#include "http/http.h"
#include "people/people.h"
#include "web/page.h"

static inline const char *full_name(arena *a, const db_res *r, int i)
{
    return people_full_name_of(a, r, i);
}

static inline tv *org_page(http_req *rq, const char *title)
{
    tv *ctx = page_ctx(rq);
    page_crumb(rq, ctx, "Mijn Onderwijsgroep", "/mijn");
    if (title) {
        page_crumb(rq, ctx, "Mijn organisatie", "/mijn/organisatie");
        page_crumb(rq, ctx, title, NULL);
    } else {
        page_crumb(rq, ctx, "Mijn organisatie", NULL);
    }
    return ctx;
}

/* The contact persons' pages (contacts.c). */
void organisation_contact_routes(router *r);

#endif
