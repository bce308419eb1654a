/* formpart.h - a form described once (web/webform.h) but shown in parts,
 * with choices between them: a select (a category, an organisation) or a
 * checkbox (Actief). The choices are fields of the same webform (WF_LINE:
 * the input filter, "required" and the error summary stay the webform's),
 * drawn by partials/form_select.html and partials/form_checkbox.html
 * instead of partials/form_fields.html.
 *
 * In the template:
 *   {{> partials/error_summary}}                 from webform_put(ctx, whole form)
 *   {{#part1}}{{> partials/form_fields}}{{/part1}}   formpart_put(…, "part1", …)
 *   {{#category}}{{> partials/form_select}}{{/category}} formpart_choice(…, "category", …)
 *
 * A part marks its required fields "(verplicht)" as a form of its own
 * would: when every field of the part is required, none is marked; give
 * such a field a part with an optional one beside it.
 *
 * Everything in the request's arena.
 */
#ifndef KP_FORMPART_H
#define KP_FORMPART_H

#include "http/http.h"
#include "web/tmpl.h"
#include "web/webform.h"

/* Puts the fields from `first` up to and including `last` (names of f, in
 * f's order) into ctx[key] for partials/form_fields.html. Nothing when a
 * name is not f's (a programming error, logged). */
void formpart_put(http_req *rq, tv *ctx, const char *key, const webform *f, const wf_values *v,
                  const char *first, const char *last);
/* Puts the choice field `name` of f into ctx[key] (name, label, hint,
 * error, describedby, marked, value, checked: the value is not empty) and
 * returns it for formpart_option; NULL when f has no such field. */
tv *formpart_choice(http_req *rq, tv *ctx, const char *key, const webform *f, const wf_values *v,
                    const char *name);
/* Adds an option to a select; it is selected when it is the choice's
 * value. value and label are referenced (arena or static strings). */
void formpart_option(tv *choice, const char *value, const char *label);

#endif
