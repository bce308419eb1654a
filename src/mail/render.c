/* render.c - see render.h */
#include "mail/render.h"

#include <string.h>

int mail_render(const tmpl_set *s, arena *a, const char *name, tv *ctx, mail_msg *out)
{
    buf text, body, html;
    buf_init(&text, a, 1024);
    buf_init(&body, a, 2048);
    buf_init(&html, a, 4096);
    if (tmpl_render(s, arena_printf(a, "mail/%s.txt", name), ctx, &text) != 0 ||
        tmpl_render(s, arena_printf(a, "mail/%s", name), ctx, &body) != 0)
        return -1;
    tv_set_str(ctx, "content", body.data);
    if (tmpl_render(s, "mail/layout", ctx, &html) != 0) return -1;
    memset(out, 0, sizeof *out);
    out->subject = tv_as_str(tv_get(ctx, "subject"));
    out->text = text.data;
    out->html = html.data;
    return out->subject ? 0 : -1;
}
