/* admin.c - what the catalog's back-office pages share (admin_internal.h)
 * and their routes. */
#include <string.h>

#include "auth/session.h"
#include "catalog/admin.h"
#include "catalog/admin_internal.h"
#include "catalog/admin_store.h"
#include "core/buf.h"
#include "web/formpart.h"
#include "web/page.h"

const char *catalog_admin_indented(arena *a, const char *name, long long depth)
{
    if (depth <= 1) return name;
    if (depth > 8) depth = 8;
    buf b;
    buf_init(&b, a, 64);
    for (long long i = 1; i < depth; i++)
        buf_puts(&b, "\u00a0\u00a0");
    buf_printf(&b, "\u2013 %s", name);
    return b.data;
}

void catalog_admin_category_options(http_req *rq, tv *choice, const db_res *tree,
                                    const char *skip_ids, const char *none_label)
{
    if (none_label) formpart_option(choice, "", none_label);
    size_t skip = skip_ids ? strlen(skip_ids) : 0;
    for (int i = 0; i < tree->nrows; i++) {
        if (skip && strncmp(db_val(tree, i, "id_path"), skip_ids, skip) == 0) continue;
        formpart_option(
            choice, db_val(tree, i, "id"),
            catalog_admin_indented(rq->a, db_val(tree, i, "name"), db_int(tree, i, "depth")));
    }
}

const char *catalog_admin_refusal(int code)
{
    switch (code) {
    case CATALOG_SLUG_TAKEN:
        return "Dit adres is al in gebruik. Kies een andere slug.";
    case CATALOG_CYCLE:
        return "Een categorie kan niet onder zichzelf of een van haar subcategorieën komen.";
    case CATALOG_IN_USE:
        return "Dit kan niet worden verwijderd: er is intussen iets aan toegevoegd. Kijk op de "
               "pagina wat er nog onder valt.";
    case CATALOG_GONE:
        return "De gekozen categorie of organisatie bestaat niet meer. Kies opnieuw.";
    case CATALOG_TOO_DEEP:
        return "Zo diep kan een categorie niet liggen: een adres heeft hoogstens 12 niveaus.";
    default:
        return "Dit kon niet worden opgeslagen. Probeer het opnieuw.";
    }
}

void catalog_admin_confirm(http_req *rq, http_resp *rs, const catalog_confirm *q, int status)
{
    tv *ctx = page_ctx(rq);
    page_crumb(rq, ctx, "Beheer", "/beheer");
    page_crumb(rq, ctx, q->section, q->section_href);
    page_crumb(rq, ctx, q->item, q->back);
    page_crumb(rq, ctx, q->heading, NULL);
    tv_set_str(ctx, "heading", q->heading);
    tv_set_str(ctx, "question", q->question);
    tv_set_str(ctx, "button", q->button);
    tv_set_str(ctx, "action", q->action);
    tv_set_str(ctx, "back", q->back);
    tv_set_str(ctx, "back_label", arena_printf(rq->a, "Terug naar %s", q->item));
    tv_set_str(ctx, "refused", q->refused);
    tv_set_str(ctx, "csrf", auth_csrf(rq, rs));
    page_render(rq, rs, "beheer/confirm", ctx,
                q->refused ? arena_printf(rq->a, "Fout: %s", q->heading) : q->heading, NAV_BEHEER);
    rs->status = status;
}

void catalog_admin_routes(router *r)
{
    catalog_admin_category_routes(r);
    catalog_admin_course_routes(r);
}
