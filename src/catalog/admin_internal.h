/* admin_internal.h - what the catalog's back-office pages share. Private
 * to src/catalog/. */
#ifndef KP_CATALOG_ADMIN_INTERNAL_H
#define KP_CATALOG_ADMIN_INTERNAL_H

#include "db/db.h"
#include "http/http.h"
#include "http/router.h"
#include "web/tmpl.h"

void catalog_admin_category_routes(router *r);
void catalog_admin_course_routes(router *r);

/* A category's name as an option shows it: an option's text cannot hold
 * markup, so a subcategory is set in with two non-breaking spaces per
 * level and a dash ("  – Agro & Groen"). In a. */
const char *catalog_admin_indented(arena *a, const char *name, long long depth);
/* The options of a category choice from catalog_admin_tree's rows, set in
 * by depth ("  – Agro & Groen"), after a first option "" with none_label
 * (NULL: no such option). A category whose id_path starts with skip_ids
 * (itself and its subtree, which cannot become its parent) is left out;
 * skip_ids NULL: none. */
void catalog_admin_category_options(http_req *rq, tv *choice, const db_res *tree,
                                    const char *skip_ids, const char *none_label);

/* Why the store refused (a CATALOG_* code), for the page. */
const char *catalog_admin_refusal(int code);

/* The page "<heading>" asking to confirm an action (beheer/confirm): the
 * question and a button that posts to action again with bevestigd, or,
 * with refused set, only the reason and the way back. status: of the
 * page. */
typedef struct catalog_confirm {
    const char *section, *section_href; /* the crumbs: "Cursussen", "/beheer/cursussen" */
    const char *item;                   /* the row's name; its page is back */
    const char *heading, *question, *button, *action, *back, *refused;
} catalog_confirm;
void catalog_admin_confirm(http_req *rq, http_resp *rs, const catalog_confirm *q, int status);

#endif
