/* internal.h - what the back office's persons and organisations pages
 * share. Private to src/relations/. */
#ifndef KP_RELATIONS_INTERNAL_H
#define KP_RELATIONS_INTERNAL_H

#include <string.h>

#include "app.h"
#include "core/timeutil.h"
#include "http/http.h"
#include "mail/mail.h"
#include "web/page.h"
#include "web/webform.h"

#define PERSONS_PATH "/beheer/personen"
#define ORGS_PATH "/beheer/organisaties"

static inline const char *rel_num(arena *a, long long v)
{
    return arena_printf(a, "%lld", v);
}

static inline int rel_same(const char *x, const char *y)
{
    return strcmp(x ? x : "", y ? y : "") == 0;
}

static inline void rel_kick_mailer(http_req *rq)
{
    if (rq->app->mailer) mail_sender_kick(rq->app->mailer);
}

/* The path parameter `name` when it is an id, else NULL (the caller
 * answers 404). */
const char *rel_path_id(http_req *rq, const char *name);

/* A back-office page's context with its crumbs: Beheer, then section
 * (label and link), then here (NULL: the section is the page itself). */
tv *rel_page(http_req *rq, const char *section, const char *section_href, const char *here);

/* What the pages say of a login (store.h's REL_LOGIN_*). */
const char *rel_login_text(const char *login);

/* The organisation's data as form fields (orgs.c), shared with
 * Organisatie-toegang (access.c), which adds its beheerder's; the columns
 * (rel_org_columns) are in the same order. */
/* clang-format off */
#define REL_ORG_FIELDS                                                                             \
    {"naam", "Naam", WF_LINE, 200, "Vul de naam van de organisatie in.", NULL, NULL, 0, NULL},     \
    {"bezoek_straat", "Straat", WF_LINE, 200, NULL, NULL, NULL, 0, "Bezoekadres"},                 \
    {"bezoek_huisnummer", "Huisnummer", WF_HOUSE, 20, NULL, NULL, NULL, 7, "Bezoekadres"},         \
    {"bezoek_postcode", "Postcode", WF_POSTCODE, 10, NULL, "Bijvoorbeeld 1234 AB", NULL, 7,        \
     "Bezoekadres"},                                                                               \
    {"bezoek_plaats", "Plaats", WF_LINE, 100, NULL, NULL, NULL, 0, "Bezoekadres"},                 \
    {"post_straat", "Straat of postbus", WF_LINE, 200, NULL, NULL, NULL, 0, "Postadres"},          \
    {"post_huisnummer", "Huisnummer", WF_HOUSE, 20, NULL, NULL, NULL, 7, "Postadres"},             \
    {"post_postcode", "Postcode", WF_POSTCODE, 10, NULL, NULL, NULL, 7, "Postadres"},              \
    {"post_plaats", "Plaats", WF_LINE, 100, NULL, NULL, NULL, 0, "Postadres"},                     \
    {"telefoon", "Telefoon", WF_PHONE, 30, NULL, NULL, NULL, 20, NULL},                            \
    {"email", "E-mail", WF_EMAIL, 254, NULL, NULL, NULL, 0, NULL},                                 \
    {"email_factuur", "E-mail voor facturen", WF_EMAIL, 254, NULL, NULL, NULL, 0, NULL},           \
    {"kvk", "KvK-nummer", WF_KVK, 12, NULL, "8 cijfers", NULL, 10, NULL}
/* clang-format on */
#define REL_ORG_NFIELDS 13
extern const char *const rel_org_columns[REL_ORG_NFIELDS];

/* Field i of a form as stored ("" when empty). */
static inline const char *rel_value(const wf_values *v, size_t i)
{
    return v->value[i] ? v->value[i] : "";
}

/* A person's page, with a message above it (NULL: none) and that status;
 * 404 when there is no such person. */
void rel_person_view(http_req *rq, http_resp *rs, const char *id, const char *error, int status);

/* The routes of each file. */
void rel_persons_routes(router *r);     /* persons.c: list and page */
void rel_person_form_routes(router *r); /* person_form.c: new and edit */
void rel_logins_routes(router *r);      /* logins.c: activation, block, brake */
void rel_members_routes(router *r);     /* members.c: memberships and roles */
void rel_orgs_routes(router *r);        /* orgs.c: list, page, edit */
void rel_access_routes(router *r);      /* access.c: Organisatie-toegang */

#endif
