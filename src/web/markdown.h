/* markdown.h - Markdown written by staff (news, pages, messages) to HTML
 * through cmark in its safe mode: raw HTML and javascript: links are
 * dropped, so the result may be inserted unescaped. */
#ifndef KP_MARKDOWN_H
#define KP_MARKDOWN_H

#include "core/arena.h"

char *markdown_html(arena *a, const char *md);

#endif
