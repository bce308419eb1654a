/* markdown.c - see markdown.h */
#include "web/markdown.h"

#include <cmark.h>
#include <stdlib.h>
#include <string.h>

char *markdown_html(arena *a, const char *md)
{
    if (!md) return arena_strdup(a, "");
    /* CMARK_OPT_DEFAULT is safe in cmark >= 0.29: raw HTML and unsafe
     * link schemes are left out unless CMARK_OPT_UNSAFE is given. */
    char *html = cmark_markdown_to_html(md, strlen(md), CMARK_OPT_DEFAULT | CMARK_OPT_SMART);
    if (!html) return arena_strdup(a, "");
    char *out = arena_strdup(a, html);
    free(html);
    return out;
}
