/* internal.h - what the organisation pages share (handlers.c, contacts.c,
 * invite.c, lookup.c, unlink.c). Private to src/organisation/. */
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

/* "x sep y", or the one that is not empty, or "" (NULL counts as empty). */
static inline const char *org_join(arena *a, const char *x, const char *sep, const char *y)
{
    x = x ? x : "";
    y = y ? y : "";
    if (!*x) return y;
    if (!*y) return x;
    return arena_printf(a, "%s%s%s", x, sep, y);
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

/* Mijn organisatie itself: the organisation's data and the contact list,
 * with a message above it (error, may be NULL) and that status. */
void organisation_view(http_req *rq, http_resp *rs, const char *error, int status);

/* The contact persons' pages (contacts.c). */
void organisation_contact_routes(router *r);
/* Uitnodiging (opnieuw) sturen (invite.c). */
void organisation_invite_routes(router *r);
/* The persons to choose a participant from (lookup.c). */
void organisation_lookup_routes(router *r);

#endif
