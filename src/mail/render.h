/* render.h - an email's text and HTML parts from templates:
 * templates/mail/<name>.txt (plain text) and templates/mail/<name>.html
 * (the HTML body, wrapped in templates/mail/layout.html). The subject comes
 * from ctx's "subject". */
#ifndef KP_MAIL_RENDER_H
#define KP_MAIL_RENDER_H

#include "mail/mail.h"
#include "web/tmpl.h"

/* Fills out (strings in arena a); to_address/to_name are left to the
 * caller. Returns 0, or -1 when a template is missing. */
int mail_render(const tmpl_set *s, arena *a, const char *name, tv *ctx, mail_msg *out);

#endif
