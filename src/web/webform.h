/* webform.h - one declarative description per form, and everything that
 * follows from it: the route's declared inputs, the checks with Dutch
 * messages, the typed values kept when something is wrong, and one way of
 * showing it all (templates/partials/form_fields.html and
 * partials/error_summary.html).
 *
 * The error pattern is the one of the NL Design System and GOV.UK: a
 * summary at the top ("Er is een probleem") with a link to each field,
 * focused when the page opens; each message right under its label; the
 * page title starting "Fout:" (page_render does that when wf_failed is
 * set); inputs as wide as what they expect (a postcode is not a street).
 *
 * A webform is static data owned by its feature. webform_spec runs once at
 * start-up (the feature's route registration); the rest runs per request
 * and allocates only in the request's arena.
 */
#ifndef KP_WEBFORM_H
#define KP_WEBFORM_H

#include <stddef.h>

#include "http/http.h"
#include "http/router.h"
#include "web/tmpl.h"

/* The check and normal form of a field beyond the input filter's kind. */
typedef enum wf_check {
    WF_LINE = 0,     /* one line of text, kept as typed (trimmed) */
    WF_TEXT,         /* several lines (a textarea) */
    WF_NAME,         /* nl_name */
    WF_HOUSE,        /* nl_house_number */
    WF_POSTCODE,     /* nl_postcode: "1234 AB" */
    WF_PHONE,        /* nl_phone */
    WF_BIRTH,        /* a date (dd-mm-jjjj typed, stored 'YYYY-MM-DD'), not in the future */
    WF_DATE,         /* any real date (dd-mm-jjjj typed, stored 'YYYY-MM-DD') */
    WF_EMAIL,        /* an address, in its normal form (core/email.h) */
    WF_KVK,          /* nl_kvk: 8 digits */
    WF_PASSWORD,     /* a password: taken as typed (never trimmed), never put back
                        into the form, type=password; the field's autocomplete says
                        which (current-password, new-password) */
    WF_NEW_PASSWORD, /* a password being chosen: as WF_PASSWORD, with the
                        password rules (partials/password_rules.html) as its
                        hint; one per page */
    WF_USERNAME,     /* a login name (the e-mail address): one line, lower-cased,
                        type=email, not checked further, so a malformed name gets
                        the same answer as an unknown one */
} wf_check;

typedef struct wf_field {
    const char *name;         /* the form field's name (a contract: never rename) */
    const char *label;        /* as on screen */
    wf_check check;           /* see above */
    int max;                  /* bytes; also the input filter's limit */
    const char *required;     /* message when left empty; NULL: optional */
    const char *hint;         /* shown under the label, NULL: none */
    const char *autocomplete; /* the autocomplete token, NULL: none */
    int width;                /* characters expected; 0: full width */
    const char *group;        /* the fieldset (legend) it belongs to; NULL: none */
} wf_field;

typedef struct webform {
    const wf_field *fields;
    size_t n;
} webform;

#define WEBFORM(fields_array)                                                                      \
    {                                                                                              \
        (fields_array), sizeof(fields_array) / sizeof((fields_array)[0])                           \
    }

/* Fills out[] with the route's declared inputs: one per field (kind and
 * limit follow from check and max), then the extra specs (terminated by a
 * NULL name; may be NULL), then the terminator. Returns -1 when cap is too
 * small (a programming error; see webform_spec_for). */
int webform_spec(const webform *f, const field_spec *extra, field_spec *out, size_t cap);
/* The same at route registration: when it fails, the router refuses to
 * start (router_refuse) instead of serving the feature without its routes. */
int webform_spec_for(router *r, const webform *f, const field_spec *extra, field_spec *out,
                     size_t cap);

/* What a form holds for each field (arrays indexed like f->fields). */
typedef struct wf_values {
    const char **value; /* normal form to store; NULL: empty */
    const char **shown; /* what the form shows (as typed, or as stored) */
    const char **error; /* message next to the field; NULL: fine */
    int nerrors;
} wf_values;

/* Empty values for f, in arena a. */
wf_values *webform_values(arena *a, const webform *f);
/* Reads the posted fields: the input filter's verdict, then the check and
 * normal form, then "required". Returns the values (errors counted). */
wf_values *webform_read(http_req *rq, const webform *f);
/* Index of the field called name, or -1. */
int webform_index(const webform *f, const char *name);
/* Adds a message for one field (a rule that spans fields, a value already
 * taken); counts it once per field. */
void webform_fail(wf_values *v, const webform *f, const char *name, const char *msg);
/* The same for n messages about one field (the rules a password breaks),
 * shown as one; nothing when n is 0. The text is built in rq's arena. */
void webform_fail_all(http_req *rq, wf_values *v, const webform *f, const char *name,
                      const char *const *msgs, int n);
/* Puts the form into ctx: "wf_groups" (legend, and fields with name,
 * label, type, value, error, hint, rules, required, marked, autocomplete, maxlen,
 * width class, describedby; consecutive fields of one group share a
 * fieldset; "marked" is a required field of a form that also has optional
 * ones: where every field is required, none is marked)
 * for partials/form_fields.html, and when there are errors "wf_failed" and
 * "wf_errors" (name, label, error) for partials/error_summary.html. */
void webform_put(http_req *rq, tv *ctx, const webform *f, const wf_values *v);

#endif
