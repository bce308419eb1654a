/* formpart.c - see formpart.h. */
#include "web/formpart.h"

#include <string.h>

#include "core/log.h"

void formpart_put(http_req *rq, tv *ctx, const char *key, const webform *f, const wf_values *v,
                  const char *first, const char *last)
{
    int from = webform_index(f, first), to = webform_index(f, last);
    if (from < 0 || to < from) {
        log_error("formulierdeel %s..%s bestaat niet", first, last);
        return;
    }
    webform part = {f->fields + from, (size_t)(to - from + 1)};
    wf_values pv = {v->value + from, v->shown + from, v->error + from, 0};
    webform_put(rq, tv_set_obj(ctx, key), &part, &pv);
}

/* "(verplicht)" helps only where optional fields stand beside it. */
static int has_optional(const webform *f)
{
    for (size_t i = 0; i < f->n; i++)
        if (!f->fields[i].required) return 1;
    return 0;
}

tv *formpart_choice(http_req *rq, tv *ctx, const char *key, const webform *f, const wf_values *v,
                    const char *name)
{
    int i = webform_index(f, name);
    if (i < 0) {
        log_error("keuzeveld %s bestaat niet", name);
        return NULL;
    }
    const wf_field *fd = &f->fields[i];
    const char *value = v && v->shown[i] ? v->shown[i] : "";
    const char *error = v && v->error[i] ? v->error[i] : "";
    tv *o = tv_set_obj(ctx, key);
    /* every key set, so a lookup never falls through to an outer value */
    tv_set_str(o, "name", fd->name);
    tv_set_str(o, "label", fd->label);
    tv_set_str(o, "hint", fd->hint ? fd->hint : "");
    tv_set_str(o, "error", error);
    tv_set_bool(o, "marked", fd->required && has_optional(f));
    tv_set_str(o, "value", value);
    tv_set_bool(o, "checked", *value != '\0');
    const char *by = "";
    if (fd->hint) by = arena_printf(rq->a, "f-%s-hint", fd->name);
    if (*error) by = arena_printf(rq->a, "%s%sf-%s-fout", by, *by ? " " : "", fd->name);
    tv_set_str(o, "describedby", by);
    tv_set_list(o, "options");
    return o;
}

void formpart_option(tv *choice, const char *value, const char *label)
{
    if (!choice) return;
    const char *current = tv_as_str(tv_get(choice, "value"));
    tv *o = tv_push_obj(tv_get(choice, "options"));
    tv_set_str(o, "value", value);
    tv_set_str(o, "label", label);
    tv_set_bool(o, "selected", current && strcmp(current, value) == 0);
}
