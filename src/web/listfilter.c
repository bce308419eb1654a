/* listfilter.c - see list.h: the data of partials/list_filters.html.
 *
 * Every key the partial reads is set on every object, even when empty:
 * a missing key would be looked up in the page's context instead (a page
 * has its own "value" or "label"). */
#include "web/list.h"

static void set_text(tv *o, const char *key, const char *s)
{
    tv_set_str(o, key, s ? s : "");
}

tv *list_filters(tv *ctx, const char *action, const char *aria_label, const char *summary,
                 const char *submit)
{
    tv *f = tv_set_obj(ctx, "filters");
    set_text(f, "action", action);
    set_text(f, "aria_label", aria_label);
    set_text(f, "summary", summary);
    set_text(f, "submit", submit);
    set_text(f, "active_text", NULL);
    set_text(f, "clear", NULL);
    tv_set_bool(f, "collapsed", 0);
    tv_set_bool(f, "search", 0);
    tv_set_list(f, "fields");
    return f;
}

void list_filters_collapsed(tv *f, const char *active_text)
{
    tv_set_bool(f, "collapsed", 1);
    set_text(f, "active_text", active_text);
}

void list_filter_clear(tv *f, const char *label)
{
    set_text(f, "clear", label);
}

/* A new field of one kind, every key the partial reads set. */
static tv *field(tv *f, const char *kind, const char *id, const char *name, const char *label)
{
    tv *o = tv_push_obj(tv_get(f, "fields"));
    static const char *const kinds[] = {"input", "select", "check", "note"};
    for (size_t i = 0; i < sizeof kinds / sizeof *kinds; i++)
        tv_set_bool(o, kinds[i], 0);
    tv_set_bool(o, kind, 1);
    set_text(o, "id", id);
    set_text(o, "name", name);
    set_text(o, "label", label);
    static const char *const texts[] = {"type",  "inputmode",   "value", "maxlength", "placeholder",
                                        "width", "describedby", "hint",  "all"};
    for (size_t i = 0; i < sizeof texts / sizeof *texts; i++)
        set_text(o, texts[i], NULL);
    tv_set_bool(o, "checked", 0);
    tv_set_list(o, "options");
    return o;
}

tv *list_filter_input(tv *f, const char *type, const char *id, const char *name, const char *label,
                      const char *value, int maxlength, const char *placeholder)
{
    tv *o = field(f, "input", id, name, label);
    set_text(o, "type", type);
    set_text(o, "value", value);
    set_text(o, "placeholder", placeholder);
    if (maxlength > 0) tv_set_int(o, "maxlength", maxlength);
    return o;
}

tv *list_filter_search(tv *f, const char *id, const char *name, const char *label,
                       const char *value, int maxlength, const char *placeholder)
{
    tv_set_bool(f, "search", 1);
    return list_filter_input(f, "search", id, name, label, value, maxlength, placeholder);
}

void list_filter_numeric(tv *field, const char *width)
{
    set_text(field, "inputmode", "numeric");
    set_text(field, "width", width);
}

void list_filter_described(tv *field, const char *hint_id, const char *text)
{
    set_text(field, "describedby", hint_id);
    set_text(field, "hint", text);
}

void list_filter_note(tv *f, const char *id, const char *text)
{
    field(f, "note", id, NULL, text);
}

void list_filter_check(tv *f, const char *id, const char *name, const char *label, int checked)
{
    tv *o = field(f, "check", id, name, label);
    tv_set_bool(o, "checked", checked);
}

tv *list_filter_select(tv *f, const char *id, const char *name, const char *label,
                       const char *all_label)
{
    tv *o = field(f, "select", id, name, label);
    set_text(o, "all", all_label);
    return o;
}

void list_filter_option(tv *select, const char *value, const char *label, int selected)
{
    tv *o = tv_push_obj(tv_get(select, "options"));
    set_text(o, "value", value);
    set_text(o, "label", label);
    tv_set_bool(o, "selected", selected);
}
