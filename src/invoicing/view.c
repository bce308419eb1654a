/* view.c - the lines and amounts of an issued invoice for a page, the same
 * for the customer's Facturen and the back office (see internal.h and the
 * partial templates/invoicing/amounts.html). */
#include "core/timeutil.h"
#include "invoicing/internal.h"

static const char *rate_text(arena *a, int rate)
{
    return rate == 0 ? INV_EXEMPT_TEXT : arena_printf(a, "%d%% btw", rate);
}

void inv_view_amounts(arena *a, tv *ctx, const inv_invoice *inv, int staff)
{
    tv *lines = tv_set_list(ctx, "lines");
    for (int i = 0; i < inv->nlines; i++) {
        const inv_line *l = &inv->lines[i];
        tv *o = tv_push_obj(lines);
        tv_set_str(o, "description", l->description);
        tv_set_str(o, "vat", rate_text(a, l->vat_rate));
        tv_set_str(o, "amount", money_nl(a, l->net_cents));
        if (staff && l->registration_id)
            tv_set_str(o, "href",
                       arena_printf(a, "/beheer/inschrijvingen/%lld", l->registration_id));
    }
    tv *vats = tv_set_list(ctx, "vats");
    for (int k = 0; k < inv->nvats; k++) {
        const inv_vat *v = &inv->vats[k];
        tv *o = tv_push_obj(vats);
        tv_set_str(o, "label",
                   v->rate == 0 ? "Vrijgesteld van btw, over"
                                : arena_printf(a, "Btw %d%% over", v->rate));
        tv_set_str(o, "base", money_nl(a, v->net_cents));
        tv_set_str(o, "vat", money_nl(a, v->vat_cents));
    }
    tv_set_bool(ctx, "credit", inv->credit);
    tv_set_str(ctx, "net", money_nl(a, inv->net_cents));
    tv_set_str(ctx, "vat", money_nl(a, inv->vat_cents));
    tv_set_str(ctx, "total", money_nl(a, inv->total_cents));
}
