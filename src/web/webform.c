/* webform.c - see webform.h. */
#include "web/webform.h"

#include <ctype.h>
#include <string.h>

#include "core/email.h"
#include "core/nlvalid.h"
#include "core/timeutil.h"

static int is_password(wf_check c)
{
    return c == WF_PASSWORD || c == WF_NEW_PASSWORD;
}

static field_kind kind_of(wf_check c)
{
    switch (c) {
    case WF_TEXT:
    case WF_PASSWORD: /* the input filter trims every other kind */
    case WF_NEW_PASSWORD:
        return FK_TEXT;
    case WF_BIRTH:
    case WF_DATE:
        return FK_DATE;
    case WF_EMAIL:
        return FK_EMAIL;
    default:
        return FK_LINE;
    }
}

int webform_spec(const webform *f, const field_spec *extra, field_spec *out, size_t cap)
{
    size_t n = 0;
    for (size_t i = 0; i < f->n; i++) {
        if (n + 1 >= cap) return -1;
        out[n++] = (field_spec){f->fields[i].name, IN_FORM, kind_of(f->fields[i].check),
                                (size_t)f->fields[i].max};
    }
    for (const field_spec *e = extra; e && e->name; e++) {
        if (n + 1 >= cap) return -1;
        out[n++] = *e;
    }
    out[n] = (field_spec){NULL, 0, 0, 0};
    return 0;
}

int webform_spec_for(router *r, const webform *f, const field_spec *extra, field_spec *out,
                     size_t cap)
{
    if (webform_spec(f, extra, out, cap) == 0) return 0;
    return router_refuse(r, "een formulier past niet in de invoertabel van zijn route");
}

wf_values *webform_values(arena *a, const webform *f)
{
    wf_values *v = arena_zalloc(a, sizeof *v);
    size_t n = f->n ? f->n : 1;
    v->value = arena_zalloc(a, n * sizeof *v->value);
    v->shown = arena_zalloc(a, n * sizeof *v->shown);
    v->error = arena_zalloc(a, n * sizeof *v->error);
    return v;
}

int webform_index(const webform *f, const char *name)
{
    for (size_t i = 0; i < f->n; i++)
        if (strcmp(f->fields[i].name, name) == 0) return (int)i;
    return -1;
}

void webform_fail(wf_values *v, const webform *f, const char *name, const char *msg)
{
    int i = webform_index(f, name);
    if (i < 0) return;
    if (!v->error[i]) v->nerrors++;
    v->error[i] = msg;
}

void webform_fail_all(http_req *rq, wf_values *v, const webform *f, const char *name,
                      const char *const *msgs, int n)
{
    if (n <= 0) return;
    const char *all = msgs[0];
    for (int i = 1; i < n; i++)
        all = arena_printf(rq->a, "%s %s", all, msgs[i]);
    webform_fail(v, f, name, all);
}

static char *lower(arena *a, const char *s)
{
    char *l = arena_strdup(a, s);
    for (char *p = l; *p; p++)
        *p = (char)tolower((unsigned char)*p);
    return l;
}

/* NULL when fine (normal form in *out), else the message. */
static const char *check(http_req *rq, const wf_field *fd, const char *in, const char **out)
{
    *out = in;
    switch (fd->check) {
    case WF_NAME:
        return nl_name(rq->a, in, (size_t)fd->max, out);
    case WF_HOUSE:
        return nl_house_number(rq->a, in, out);
    case WF_POSTCODE:
        return nl_postcode(rq->a, in, out);
    case WF_PHONE:
        return nl_phone(rq->a, in, out);
    case WF_KVK:
        return nl_kvk(rq->a, in, out);
    case WF_BIRTH:
        return nl_birth_date(in, date_today_plus(rq->a, 0));
    case WF_EMAIL: /* the input filter checked it against the same rule */
        *out = email_normal(rq->a, in);
        return *out ? NULL : "Vul een geldig e-mailadres in.";
    case WF_USERNAME:
        *out = lower(rq->a, in);
        return NULL;
    case WF_DATE: /* the input filter read and normalised it */
    case WF_LINE:
    case WF_TEXT:
    case WF_PASSWORD:
    case WF_NEW_PASSWORD:
        return NULL;
    }
    return NULL;
}

wf_values *webform_read(http_req *rq, const webform *f)
{
    wf_values *v = webform_values(rq->a, f);
    for (size_t i = 0; i < f->n; i++) {
        const wf_field *fd = &f->fields[i];
        const char *in = req_in(rq, fd->name);
        const char *refused = kv_get(&rq->errors, fd->name);
        /* a password is never sent back, not even a wrong one */
        v->shown[i] = is_password(fd->check) ? NULL : kv_get(&rq->form, fd->name);
        if (refused)
            v->error[i] = refused;
        else if (in)
            v->error[i] = check(rq, fd, in, &v->value[i]);
        else if (fd->required)
            v->error[i] = fd->required;
        if (v->error[i]) v->nerrors++;
    }
    return v;
}

static const char *input_type(wf_check c)
{
    switch (c) {
    case WF_EMAIL:
    case WF_USERNAME:
        return "email";
    case WF_PHONE:
        return "tel";
    case WF_PASSWORD:
    case WF_NEW_PASSWORD:
        return "password";
    default:
        return "text";
    }
}

/* "(verplicht)" only helps where optional fields stand beside it. */
static int all_required(const webform *f)
{
    for (size_t i = 0; i < f->n; i++)
        if (!f->fields[i].required) return 0;
    return 1;
}

/* Widths in steps, so the CSS stays small: postcode and house number,
 * dates and KvK numbers, phone numbers, everything else. */
static const char *width_class(int chars)
{
    if (chars <= 0) return NULL;
    if (chars <= 7) return "w-s";
    if (chars <= 12) return "w-m";
    if (chars <= 20) return "w-l";
    return NULL;
}

/* The password rules' id is the one in partials/password_rules.html. */
static const char *described_by(arena *a, const wf_field *fd, int error)
{
    const char *by = fd->check == WF_NEW_PASSWORD ? "wachtwoord-eisen" : "";
    if (fd->hint) by = arena_printf(a, "%s%sf-%s-hint", by, *by ? " " : "", fd->name);
    if (error) by = arena_printf(a, "%s%sf-%s-fout", by, *by ? " " : "", fd->name);
    return *by ? by : NULL;
}

void webform_put(http_req *rq, tv *ctx, const webform *f, const wf_values *v)
{
    tv *groups = tv_set_list(ctx, "wf_groups");
    tv *errors = tv_set_list(ctx, "wf_errors");
    tv *list = NULL;
    int mark = !all_required(f);
    for (size_t i = 0; i < f->n; i++) {
        const wf_field *fd = &f->fields[i];
        const char *error = v ? v->error[i] : NULL;
        const char *prev = i ? f->fields[i - 1].group : NULL;
        if (!list || (fd->group != prev && (!fd->group || !prev || strcmp(fd->group, prev) != 0))) {
            tv *g = tv_push_obj(groups);
            tv_set_str(g, "legend", fd->group ? fd->group : "");
            list = tv_set_list(g, "fields");
        }
        tv *o = tv_push_obj(list);
        tv_set_str(o, "name", fd->name);
        tv_set_str(o, "label", fd->label);
        tv_set_str(o, "type", input_type(fd->check));
        tv_set_bool(o, "multiline", fd->check == WF_TEXT);
        const char *shown = v && !is_password(fd->check) ? v->shown[i] : NULL;
        tv_set_str(o, "value", shown ? shown : "");
        /* every key set, so a lookup never falls through to an outer value */
        tv_set_str(o, "error", error ? error : "");
        tv_set_str(o, "hint", fd->hint ? fd->hint : "");
        tv_set_bool(o, "rules", fd->check == WF_NEW_PASSWORD);
        tv_set_str(o, "autocomplete", fd->autocomplete ? fd->autocomplete : "");
        tv_set_bool(o, "required", fd->required != NULL);
        tv_set_bool(o, "marked", mark && fd->required != NULL);
        tv_set_int(o, "maxlen", fd->max);
        tv_set_str(o, "width", width_class(fd->width) ? width_class(fd->width) : "");
        const char *by = described_by(rq->a, fd, error != NULL);
        tv_set_str(o, "describedby", by ? by : "");
        if (error) {
            tv *e = tv_push_obj(errors);
            tv_set_str(e, "name", fd->name);
            tv_set_str(e, "label", fd->label);
            tv_set_str(e, "error", error);
        }
    }
    tv_set_bool(ctx, "wf_failed", v && v->nerrors > 0);
}
