/* tmpl.h - a small logic-less template engine (Mustache-like).
 *
 * No C Mustache library is packaged in Debian 12, so this one is ours.
 * Syntax:
 *   {{name}}        value, HTML-escaped (& < > " ' -> &#39;)
 *   {{& name}}      value, raw - the only way to skip escaping
 *   {{a.b.c}}       dotted lookup; {{.}} is the current value
 *   {{#name}}..{{/name}}  section: once per list item, once with an object
 *                   pushed on the context stack, once for any other truthy value
 *   {{^name}}..{{/name}}  inverted: rendered when the value is falsy
 *   {{> name}}      partial: another template of the same set, same context
 *   {{! comment}}
 * Falsy: missing, false, an empty list and the empty string.
 * Names are looked up from the innermost context outwards.
 *
 * Templates are compiled once (tmpl_load_dir at start-up); a compiled set is
 * immutable and shared by all threads. Values (tv) are built per request in
 * that request's arena.
 */
#ifndef KP_TMPL_H
#define KP_TMPL_H

#include <stddef.h>

#include "core/arena.h"
#include "core/buf.h"

typedef struct tv tv;

tv *tv_obj(arena *a);
tv *tv_list(arena *a);
tv *tv_str(arena *a, const char *s); /* referenced: must outlive the rendering */
tv *tv_bool(arena *a, int b);

/* Object setters; the key is referenced (use literals or arena strings).
 * tv_set_str with s == NULL leaves the key missing (falsy). */
void tv_set(tv *obj, const char *key, tv *val);
void tv_set_str(tv *obj, const char *key, const char *s);
void tv_set_int(tv *obj, const char *key, long long v);
void tv_set_bool(tv *obj, const char *key, int b);
tv *tv_set_obj(tv *obj, const char *key);  /* new child object */
tv *tv_set_list(tv *obj, const char *key); /* new child list */
/* Lists. */
void tv_push(tv *list, tv *val);
tv *tv_push_obj(tv *list); /* appends and returns a new object */
size_t tv_len(const tv *list);
/* Lookup (for tests and helpers): NULL if missing. */
tv *tv_get(const tv *obj, const char *key);
const char *tv_as_str(const tv *v); /* NULL unless a string */
/* As a section sees it: 0 for missing, false, "" and an empty list. */
int tv_truthy(const tv *v);

typedef struct tmpl_set tmpl_set;

tmpl_set *tmpl_set_new(void);
void tmpl_set_free(tmpl_set *s);
/* Compiles src under name. Returns 0, or -1 with "name:line: reason" in err
 * (unclosed section, mismatched close tag, unterminated tag, ...). */
int tmpl_add(tmpl_set *s, const char *name, const char *src, size_t len, char *err, size_t errlen);
/* Loads every *.html below dir; the name is the relative path without
 * ".html" (e.g. "catalog/course"). Plain-text templates (*.txt, for email)
 * keep their extension ("mail/reset.txt"); they escape like the others, so
 * write {{& name}} for values in them. */
int tmpl_load_dir(tmpl_set *s, const char *dir, char *err, size_t errlen);
int tmpl_has(const tmpl_set *s, const char *name);
/* Appends the rendering to out. Returns 0, or -1 if the template (or a
 * partial it uses) does not exist. Partials nest at most 16 deep. */
int tmpl_render(const tmpl_set *s, const char *name, const tv *ctx, buf *out);

#endif
