/* routes.c - the routes of the back office's persons and organisations,
 * and the little their pages share. */
#include "relations/internal.h"
#include "relations/relations.h"
#include "relations/store.h"

const char *rel_path_id(http_req *rq, const char *name)
{
    const char *id = req_param(rq, name);
    return id && field_valid(FK_ID, id, strlen(id)) ? id : NULL;
}

tv *rel_page(http_req *rq, const char *section, const char *section_href, const char *here)
{
    tv *ctx = page_ctx(rq);
    page_crumb(rq, ctx, "Beheer", "/beheer");
    page_crumb(rq, ctx, section, here ? section_href : NULL);
    if (here) page_crumb(rq, ctx, here, NULL);
    return ctx;
}

const char *rel_login_text(const char *login)
{
    static const struct {
        const char *state, *text;
    } states[] = {
        {REL_LOGIN_ACTIVE, "Heeft een account"},
        {REL_LOGIN_INVITED, "Uitgenodigd, nog niet geactiveerd"},
        {REL_LOGIN_NONE, "Geen account"},
        {REL_LOGIN_NO_ADDRESS, "Geen e-mailadres, kan niet inloggen"},
        {REL_LOGIN_BLOCKED, "Geblokkeerd"},
    };
    for (size_t i = 0; login && i < sizeof states / sizeof states[0]; i++)
        if (strcmp(login, states[i].state) == 0) return states[i].text;
    return "";
}

void relations_routes(router *r)
{
    rel_persons_routes(r);
    rel_person_form_routes(r);
    rel_logins_routes(r);
    rel_members_routes(r);
    rel_orgs_routes(r);
    rel_access_routes(r);
}
