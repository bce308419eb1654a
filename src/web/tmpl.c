/* tmpl.c - see tmpl.h.
 *
 * This is our own template engine because Debian 12 packages no C Mustache
 * library, and vendoring one would mean tracking its security fixes by hand.
 * It implements the subset of Mustache described in tmpl.h.
 *
 * Design:
 *  - tmpl_add compiles a template once into a flat array of ops. A section
 *    op stores the index just past its body, so rendering never re-parses
 *    and never searches for a closing tag.
 *  - The compiled template keeps its own copy of the source: text ops point
 *    into it, and tag names are NUL-terminated in place (the bytes of a tag
 *    are never part of any text op), so a template costs four mallocs no
 *    matter how many tags it has.
 *  - Partials are linked to their target when templates are added, so the
 *    set is immutable after loading and rendering needs no name lookup for
 *    them; render-time state lives on the C stack (the context stack is a
 *    chain of frames), so the only allocations while rendering are the
 *    output buf's, which are arena-backed.
 *
 * Behaviour worth knowing (also covered by tests/unit/test_tmpl.c):
 *  - {{{x}}} and {{=..=}} are compile errors: raw output must be spelled
 *    {{& x}} so that it stands out in review.
 *  - Only strings produce output for {{x}}; booleans, lists and objects
 *    render as nothing (tv_set_int stores numbers as strings).
 *  - A dotted name a.b.c looks up "a" from the innermost context outwards
 *    and then "b" and "c" strictly inside it, as in Mustache.
 *  - An unknown partial renders as nothing and does not stop the rendering;
 *    tmpl_render still returns -1 afterwards so the caller can notice the
 *    broken template (tmpl.h). Nothing is logged here.
 *  - Partials nest at most KP_TMPL_MAX_PARTIAL deep below the top-level
 *    template; a deeper partial is skipped (rendered as nothing) so that a
 *    recursive partial cannot exhaust the stack. This is not an error.
 *  - Standalone lines: a line holding only a section, inverted, close,
 *    comment or partial tag plus spaces/tabs is removed together with its
 *    line break. For a standalone partial the indentation is kept in front
 *    of the partial's output (Mustache would indent every line of the
 *    partial; we do not, since HTML does not care and it would cost a pass
 *    over the output).
 */
#include "web/tmpl.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

enum {
    KP_TMPL_MAX_PARTIAL = 16, /* partial nesting, promised in tmpl.h */
    KP_TMPL_MAX_NEST = 64,    /* section nesting inside one template */
    KP_TMPL_MAX_DIRS = 32,    /* directory depth in tmpl_load_dir (symlink loops) */
};

/* ---------------------------------------------------------------- values */

enum tv_kind { TV_STR, TV_BOOL, TV_OBJ, TV_LIST };

struct tv_kv {
    const char *key;
    tv *val;
};

struct tv {
    enum tv_kind kind;
    int b;         /* TV_BOOL */
    const char *s; /* TV_STR */
    arena *a;      /* containers grow in the arena they were made in */
    size_t len, cap;
    struct tv_kv *kv; /* TV_OBJ */
    tv **items;       /* TV_LIST */
};

static tv *tv_new(arena *a, enum tv_kind kind)
{
    tv *v = arena_zalloc(a, sizeof(*v));
    v->kind = kind;
    v->a = a;
    return v;
}

tv *tv_obj(arena *a)
{
    return tv_new(a, TV_OBJ);
}

tv *tv_list(arena *a)
{
    return tv_new(a, TV_LIST);
}

tv *tv_str(arena *a, const char *s)
{
    tv *v = tv_new(a, TV_STR);
    v->s = s ? s : "";
    return v;
}

tv *tv_bool(arena *a, int b)
{
    tv *v = tv_new(a, TV_BOOL);
    v->b = b != 0;
    return v;
}

/* Makes room for one more element. The old array stays in the arena
 * (freed with it); doubling keeps that waste below the final size. */
static void *grow_array(arena *a, void *old, size_t len, size_t *cap, size_t elem)
{
    if (len < *cap) return old;
    size_t ncap = *cap ? *cap * 2 : 8;
    void *p = arena_alloc(a, ncap * elem);
    if (len) memcpy(p, old, len * elem);
    *cap = ncap;
    return p;
}

static struct tv_kv *find_kv(const tv *obj, const char *key)
{
    if (!obj || obj->kind != TV_OBJ || !key) return NULL;
    for (size_t i = 0; i < obj->len; i++)
        if (strcmp(obj->kv[i].key, key) == 0) return &obj->kv[i];
    return NULL;
}

static void remove_kv(tv *obj, struct tv_kv *kv)
{
    size_t i = (size_t)(kv - obj->kv);
    memmove(kv, kv + 1, (obj->len - i - 1) * sizeof(*kv));
    obj->len--;
}

/* val == NULL removes the key, so that "set to nothing" means missing. */
void tv_set(tv *obj, const char *key, tv *val)
{
    if (!obj || obj->kind != TV_OBJ || !key) return;
    struct tv_kv *kv = find_kv(obj, key);
    if (kv) {
        if (val)
            kv->val = val;
        else
            remove_kv(obj, kv);
        return;
    }
    if (!val) return;
    obj->kv = grow_array(obj->a, obj->kv, obj->len, &obj->cap, sizeof(*obj->kv));
    obj->kv[obj->len].key = key;
    obj->kv[obj->len].val = val;
    obj->len++;
}

void tv_set_str(tv *obj, const char *key, const char *s)
{
    if (!obj || obj->kind != TV_OBJ) return;
    tv_set(obj, key, s ? tv_str(obj->a, s) : NULL);
}

void tv_set_int(tv *obj, const char *key, long long v)
{
    if (!obj || obj->kind != TV_OBJ) return;
    tv_set(obj, key, tv_str(obj->a, arena_printf(obj->a, "%lld", v)));
}

void tv_set_bool(tv *obj, const char *key, int b)
{
    if (!obj || obj->kind != TV_OBJ) return;
    tv_set(obj, key, tv_bool(obj->a, b));
}

tv *tv_set_obj(tv *obj, const char *key)
{
    if (!obj || obj->kind != TV_OBJ || !key) return NULL;
    tv *child = tv_obj(obj->a);
    tv_set(obj, key, child);
    return child;
}

tv *tv_set_list(tv *obj, const char *key)
{
    if (!obj || obj->kind != TV_OBJ || !key) return NULL;
    tv *child = tv_list(obj->a);
    tv_set(obj, key, child);
    return child;
}

/* NULL items are ignored: a list element is never "missing". */
void tv_push(tv *list, tv *val)
{
    if (!list || list->kind != TV_LIST || !val) return;
    list->items = grow_array(list->a, list->items, list->len, &list->cap, sizeof(*list->items));
    list->items[list->len++] = val;
}

tv *tv_push_obj(tv *list)
{
    if (!list || list->kind != TV_LIST) return NULL;
    tv *o = tv_obj(list->a);
    tv_push(list, o);
    return o;
}

size_t tv_len(const tv *list)
{
    return list && list->kind == TV_LIST ? list->len : 0;
}

tv *tv_get(const tv *obj, const char *key)
{
    struct tv_kv *kv = find_kv(obj, key);
    return kv ? kv->val : NULL;
}

const char *tv_as_str(const tv *v)
{
    return v && v->kind == TV_STR ? v->s : NULL;
}

int tv_truthy(const tv *v)
{
    if (!v) return 0;
    switch (v->kind) {
    case TV_STR:
        return v->s[0] != '\0';
    case TV_BOOL:
        return v->b;
    case TV_LIST:
        return v->len > 0;
    case TV_OBJ:
        return 1;
    }
    return 0;
}

/* -------------------------------------------------------- compiled form */

enum op_kind { OP_TEXT, OP_VAR, OP_RAW, OP_SECTION, OP_INVERTED, OP_PARTIAL };

struct tmpl;

struct op {
    enum op_kind kind;
    int nseg;                  /* named ops: segments in the name, 0 for "." */
    int line;                  /* source line, for error messages */
    const char *text;          /* OP_TEXT: bytes; else the name (NUL-separated segments) */
    size_t len;                /* OP_TEXT: byte count; else name length while compiling */
    size_t end;                /* sections: index of the first op after the body */
    const struct tmpl *target; /* OP_PARTIAL: linked in relink(), NULL if unknown */
};

struct tmpl {
    char *name;
    char *src; /* private copy; text ops and names point into it */
    struct op *ops;
    size_t nops;
};

struct tmpl_set {
    struct tmpl **t; /* sorted by name for bsearch */
    size_t n, cap;
};

/* Out of memory at start-up is fatal, like arena_alloc. */
static void *xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q) {
        fputs("klantportal: geheugen vol\n", stderr);
        abort();
    }
    return q;
}

static void tmpl_free(struct tmpl *t)
{
    if (!t) return;
    free(t->name);
    free(t->src);
    free(t->ops);
    free(t);
}

/* --------------------------------------------------------------- parser */

struct parser {
    const char *name; /* template name, for messages */
    struct tmpl *t;
    size_t len;                    /* source length */
    size_t cap;                    /* allocated ops */
    size_t pos;                    /* next unparsed byte */
    size_t counted;                /* line counting has reached this byte */
    int line;                      /* line number at byte `counted` */
    size_t open[KP_TMPL_MAX_NEST]; /* op indices of open sections */
    int nopen;
    char *err;
    size_t errlen;
};

/* A parsed tag: [start, end) is the whole "{{...}}". */
struct tag {
    char sigil; /* 0 for a plain variable */
    size_t start, end;
    size_t name, name_len; /* offset and length of the trimmed name */
    int line;
};

/* Writes "name:line: reason" to the caller's err buffer; returns -1. */
static int fail(struct parser *p, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int fail(struct parser *p, int line, const char *fmt, ...)
{
    if (!p->err || p->errlen == 0) return -1;
    int n = snprintf(p->err, p->errlen, "%s:%d: ", p->name, line);
    if (n < 0 || (size_t)n >= p->errlen) return -1;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(p->err + n, p->errlen - (size_t)n, fmt, ap);
    va_end(ap);
    return -1;
}

/* Line of byte `at`; called with increasing offsets, so it is linear
 * over the whole template. */
static int line_at(struct parser *p, size_t at)
{
    const char *s = p->t->src;
    for (; p->counted < at; p->counted++)
        if (s[p->counted] == '\n') p->line++;
    return p->line;
}

static struct op *add_op(struct parser *p, enum op_kind kind)
{
    struct tmpl *t = p->t;
    if (t->nops == p->cap) {
        p->cap = p->cap ? p->cap * 2 : 16;
        t->ops = xrealloc(t->ops, p->cap * sizeof(*t->ops));
    }
    struct op *o = &t->ops[t->nops++];
    memset(o, 0, sizeof(*o));
    o->kind = kind;
    return o;
}

static void add_text(struct parser *p, size_t from, size_t to)
{
    if (to <= from) return;
    struct op *o = add_op(p, OP_TEXT);
    o->text = p->t->src + from;
    o->len = to - from;
}

static int is_blank(char c)
{
    return c == ' ' || c == '\t';
}

static int is_space(char c)
{
    return is_blank(c) || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

static int is_name_char(char c, int partial)
{
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return 1;
    return c == '_' || c == '-' || c == '.' || (partial && c == '/');
}

/* Variable names: "." or dot-separated non-empty segments. */
static int valid_name(const char *s, size_t n, int partial)
{
    if (n == 0) return 0;
    for (size_t i = 0; i < n; i++)
        if (!is_name_char(s[i], partial)) return 0;
    if (partial || (n == 1 && s[0] == '.')) return 1;
    if (s[0] == '.' || s[n - 1] == '.') return 0;
    for (size_t i = 1; i < n; i++)
        if (s[i] == '.' && s[i - 1] == '.') return 0;
    return 1;
}

static const char *find2(const char *s, size_t from, size_t len, const char *pat)
{
    if (from >= len) return NULL;
    return memmem(s + from, len - from, pat, 2);
}

static int can_stand_alone(char sigil)
{
    return sigil == '#' || sigil == '^' || sigil == '/' || sigil == '!' || sigil == '>';
}

/* Error messages quote at most this much of a bad name. */
static int quote_len(size_t n)
{
    return n > 40 ? 40 : (int)n;
}

/* Reads the "{{...}}" starting at tg->start: sigil, trimmed name, end.
 * Only reads the source; names are terminated later by finalize(). */
static int scan_tag(struct parser *p, struct tag *tg)
{
    const char *s = p->t->src;
    size_t i = tg->start + 2;
    tg->line = line_at(p, tg->start);
    if (i < p->len && s[i] == '{')
        return fail(p, tg->line, "triple braces are not supported, use {{& name}} for raw output");
    tg->sigil = 0;
    if (i < p->len && s[i] != '\0' && strchr("#^/>!&=", s[i])) tg->sigil = s[i++];
    const char *close = find2(s, i, p->len, "}}");
    if (!close) return fail(p, tg->line, "unterminated tag");
    tg->end = (size_t)(close - s) + 2;
    if (tg->sigil == '!') return 0;
    if (tg->sigil == '=') return fail(p, tg->line, "set-delimiter tags are not supported");
    size_t a = i, b = (size_t)(close - s);
    while (a < b && is_space(s[a]))
        a++;
    while (b > a && is_space(s[b - 1]))
        b--;
    tg->name = a;
    tg->name_len = b - a;
    if (a == b) return fail(p, tg->line, "empty tag name");
    if (!valid_name(s + a, b - a, tg->sigil == '>'))
        return fail(p, tg->line, "invalid name '%.*s'", quote_len(b - a), s + a);
    return 0;
}

/* Mustache "standalone" rule: if the tag is alone on its line (apart from
 * spaces and tabs), report the line's start and the byte after its line
 * break, so the line does not leave a blank line in the output. */
static int standalone(const struct parser *p, const struct tag *tg, size_t *ls, size_t *le)
{
    const char *s = p->t->src;
    size_t a = tg->start, b = tg->end;
    while (a > p->pos && is_blank(s[a - 1]))
        a--;
    if (a > 0 && s[a - 1] != '\n') return 0;
    while (b < p->len && is_blank(s[b]))
        b++;
    if (b < p->len) {
        if (s[b] == '\r' && b + 1 < p->len && s[b + 1] == '\n') b++;
        if (s[b] != '\n') return 0;
        b++;
    }
    *ls = a;
    *le = b;
    return 1;
}

static struct op *add_named(struct parser *p, enum op_kind kind, const struct tag *tg)
{
    struct op *o = add_op(p, kind);
    o->text = p->t->src + tg->name;
    o->len = tg->name_len;
    o->line = tg->line;
    return o;
}

static int open_section(struct parser *p, const struct tag *tg)
{
    if (p->nopen == KP_TMPL_MAX_NEST)
        return fail(p, tg->line, "sections nested more than %d deep", KP_TMPL_MAX_NEST);
    add_named(p, tg->sigil == '#' ? OP_SECTION : OP_INVERTED, tg);
    p->open[p->nopen++] = p->t->nops - 1;
    return 0;
}

static int close_section(struct parser *p, const struct tag *tg)
{
    const char *name = p->t->src + tg->name;
    int qn = quote_len(tg->name_len);
    if (p->nopen == 0)
        return fail(p, tg->line, "closing tag '%.*s' without an open section", qn, name);
    struct op *o = &p->t->ops[p->open[p->nopen - 1]];
    if (o->len != tg->name_len || memcmp(o->text, name, o->len) != 0)
        return fail(p, tg->line, "closing tag '%.*s' does not match section '%.*s' from line %d",
                    qn, name, quote_len(o->len), o->text, o->line);
    o->end = p->t->nops;
    p->nopen--;
    return 0;
}

static int emit_tag(struct parser *p, const struct tag *tg)
{
    switch (tg->sigil) {
    case '!':
        return 0;
    case '#':
    case '^':
        return open_section(p, tg);
    case '/':
        return close_section(p, tg);
    case '>':
        add_named(p, OP_PARTIAL, tg);
        return 0;
    case '&':
        add_named(p, OP_RAW, tg);
        return 0;
    default:
        add_named(p, OP_VAR, tg);
        return 0;
    }
}

/* Turns every name into NUL-separated segments inside the source copy, so
 * rendering can strcmp segments without allocating. Runs after parsing:
 * the byte after a name is still inside its tag ("}" or a space). */
static void finalize(struct parser *p)
{
    for (size_t i = 0; i < p->t->nops; i++) {
        struct op *o = &p->t->ops[i];
        if (o->kind == OP_TEXT) continue;
        char *n = p->t->src + (o->text - p->t->src);
        n[o->len] = '\0';
        if (o->kind == OP_PARTIAL) continue;
        if (o->len == 1 && n[0] == '.') continue; /* nseg 0: the current value */
        o->nseg = 1;
        for (size_t k = 0; k < o->len; k++)
            if (n[k] == '.') {
                n[k] = '\0';
                o->nseg++;
            }
    }
}

static int compile(struct parser *p)
{
    const char *s = p->t->src;
    while (p->pos < p->len) {
        const char *open = find2(s, p->pos, p->len, "{{");
        if (!open) {
            add_text(p, p->pos, p->len);
            break;
        }
        struct tag tg = {.start = (size_t)(open - s)};
        if (scan_tag(p, &tg) < 0) return -1;
        size_t text_end = tg.start, next = tg.end, ls, le;
        if (can_stand_alone(tg.sigil) && standalone(p, &tg, &ls, &le)) {
            if (tg.sigil != '>') text_end = ls; /* keep a partial's indentation */
            next = le;
        }
        add_text(p, p->pos, text_end);
        if (emit_tag(p, &tg) < 0) return -1;
        p->pos = next;
    }
    if (p->nopen > 0) {
        const struct op *o = &p->t->ops[p->open[p->nopen - 1]];
        return fail(p, o->line, "unclosed section '%.*s'", quote_len(o->len), o->text);
    }
    finalize(p);
    return 0;
}

/* ------------------------------------------------------------------ set */

tmpl_set *tmpl_set_new(void)
{
    tmpl_set *s = xrealloc(NULL, sizeof(*s));
    memset(s, 0, sizeof(*s));
    return s;
}

void tmpl_set_free(tmpl_set *s)
{
    if (!s) return;
    for (size_t i = 0; i < s->n; i++)
        tmpl_free(s->t[i]);
    free(s->t);
    free(s);
}

/* Binary search: index of name, or where it would be inserted. */
static size_t find_index(const tmpl_set *s, const char *name, int *found)
{
    size_t lo = 0, hi = s->n;
    *found = 0;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(s->t[mid]->name, name);
        if (c == 0) {
            *found = 1;
            return mid;
        }
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static const struct tmpl *find_tmpl(const tmpl_set *s, const char *name)
{
    int found;
    size_t i = find_index(s, name, &found);
    return found ? s->t[i] : NULL;
}

/* A template added under an existing name replaces the old one. */
static void insert_tmpl(tmpl_set *s, struct tmpl *t)
{
    int found;
    size_t i = find_index(s, t->name, &found);
    if (found) {
        tmpl_free(s->t[i]);
        s->t[i] = t;
        return;
    }
    if (s->n == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 32;
        s->t = xrealloc(s->t, s->cap * sizeof(*s->t));
    }
    memmove(&s->t[i + 1], &s->t[i], (s->n - i) * sizeof(*s->t));
    s->t[i] = t;
    s->n++;
}

/* Points every partial op at its template. Redone after each add, since
 * templates arrive in any order and may replace one another; this keeps
 * rendering free of name lookups and the loaded set read-only. */
static void relink(tmpl_set *s)
{
    for (size_t i = 0; i < s->n; i++) {
        struct tmpl *t = s->t[i];
        for (size_t k = 0; k < t->nops; k++)
            if (t->ops[k].kind == OP_PARTIAL) t->ops[k].target = find_tmpl(s, t->ops[k].text);
    }
}

static char *xstrndup(const char *s, size_t n)
{
    char *d = xrealloc(NULL, n + 1);
    if (n) memcpy(d, s, n);
    d[n] = '\0';
    return d;
}

int tmpl_add(tmpl_set *s, const char *name, const char *src, size_t len, char *err, size_t errlen)
{
    if (err && errlen) err[0] = '\0';
    if (!s || !name || (!src && len)) {
        if (err && errlen) snprintf(err, errlen, "%s: invalid arguments", name ? name : "?");
        return -1;
    }
    struct tmpl *t = xrealloc(NULL, sizeof(*t));
    memset(t, 0, sizeof(*t));
    t->name = xstrndup(name, strlen(name));
    t->src = xstrndup(src, len);
    struct parser p = {.name = name, .t = t, .len = len, .line = 1, .err = err, .errlen = errlen};
    if (compile(&p) < 0) {
        tmpl_free(t);
        return -1;
    }
    insert_tmpl(s, t);
    relink(s);
    return 0;
}

int tmpl_has(const tmpl_set *s, const char *name)
{
    return s && name && find_tmpl(s, name) != NULL;
}

/* ------------------------------------------------------------ rendering */

/* The context stack: one frame per pushed value, living on the C stack. */
struct frame {
    const tv *v;
    const struct frame *up;
};

struct render {
    buf *out;
    int depth;   /* current partial nesting */
    int missing; /* an unknown partial was met */
};

static const tv *lookup(const struct frame *f, const struct op *o)
{
    if (o->nseg == 0) return f->v;
    const char *seg = o->text;
    const tv *v = NULL;
    for (; f && !v; f = f->up)
        v = tv_get(f->v, seg);
    for (int i = 1; v && i < o->nseg; i++) {
        seg += strlen(seg) + 1;
        v = tv_get(v, seg);
    }
    return v;
}

static void render_ops(struct render *r, const struct tmpl *t, size_t from, size_t to,
                       const struct frame *top);

static void render_value(struct render *r, const struct op *o, const struct frame *top)
{
    const char *s = tv_as_str(lookup(top, o));
    if (!s) return; /* missing, or not a string: nothing to print */
    if (o->kind == OP_RAW)
        buf_puts(r->out, s);
    else
        buf_html_str(r->out, s);
}

/* Body once per list item, or once with the (truthy) value pushed. */
static void render_section(struct render *r, const struct tmpl *t, size_t i,
                           const struct frame *top)
{
    const struct op *o = &t->ops[i];
    const tv *v = lookup(top, o);
    if (!tv_truthy(v)) return;
    int list = v->kind == TV_LIST;
    size_t n = list ? v->len : 1;
    for (size_t k = 0; k < n; k++) {
        struct frame f = {list ? v->items[k] : v, top};
        render_ops(r, t, i + 1, o->end, &f);
    }
}

static void render_partial(struct render *r, const struct op *o, const struct frame *top)
{
    if (!o->target) {
        r->missing = 1; /* renders as nothing; tmpl_render reports -1 */
        return;
    }
    if (r->depth >= KP_TMPL_MAX_PARTIAL) return; /* runaway recursion: stop here */
    r->depth++;
    render_ops(r, o->target, 0, o->target->nops, top);
    r->depth--;
}

static void render_ops(struct render *r, const struct tmpl *t, size_t from, size_t to,
                       const struct frame *top)
{
    size_t i = from;
    while (i < to) {
        const struct op *o = &t->ops[i];
        switch (o->kind) {
        case OP_TEXT:
            buf_add(r->out, o->text, o->len);
            break;
        case OP_VAR:
        case OP_RAW:
            render_value(r, o, top);
            break;
        case OP_SECTION:
            render_section(r, t, i, top);
            break;
        case OP_INVERTED:
            if (!tv_truthy(lookup(top, o))) render_ops(r, t, i + 1, o->end, top);
            break;
        case OP_PARTIAL:
            render_partial(r, o, top);
            break;
        }
        i = (o->kind == OP_SECTION || o->kind == OP_INVERTED) ? o->end : i + 1;
    }
}

int tmpl_render(const tmpl_set *s, const char *name, const tv *ctx, buf *out)
{
    const struct tmpl *t = s && name ? find_tmpl(s, name) : NULL;
    if (!t || !out) return -1;
    struct render r = {.out = out};
    struct frame root = {ctx, NULL};
    render_ops(&r, t, 0, t->nops, &root);
    return r.missing ? -1 : 0;
}

/* -------------------------------------------------------------- loading */

struct loader {
    tmpl_set *s;
    char path[PATH_MAX]; /* "dir/rel/path"; extended and cut back while walking */
    size_t root_len;     /* strlen(dir): the relative part starts after it */
    char *err;
    size_t errlen;
};

static int io_fail(struct loader *l, int e)
{
    if (l->err && l->errlen) snprintf(l->err, l->errlen, "%s: %s", l->path, strerror(e));
    return -1;
}

static int ends_with(const char *name, const char *ext)
{
    size_t n = strlen(name), e = strlen(ext);
    return n > e && strcmp(name + n - e, ext) == 0;
}

/* Reads a whole stream; *data is malloc'd (also on error, may be NULL). */
static int read_all(FILE *f, char **data, size_t *len)
{
    size_t cap = 0;
    *data = NULL;
    *len = 0;
    for (;;) {
        if (*len == cap) {
            cap = cap ? cap * 2 : 8192;
            *data = xrealloc(*data, cap);
        }
        size_t n = fread(*data + *len, 1, cap - *len, f);
        *len += n;
        if (n == 0) return ferror(f) ? -1 : 0;
    }
}

/* strip: how many bytes of extension leave the name ("x.html" -> "x");
 * plain-text templates (email bodies) keep ".txt" in their name. */
static int load_file(struct loader *l, size_t len, size_t strip)
{
    FILE *f = fopen(l->path, "rb");
    if (!f) return io_fail(l, errno);
    char *data;
    size_t n;
    int rc = read_all(f, &data, &n);
    int e = errno;
    fclose(f);
    if (rc < 0) {
        free(data);
        return io_fail(l, e ? e : EIO);
    }
    /* The template name is the relative path without ".html". */
    char keep = l->path[len - strip];
    l->path[len - strip] = '\0';
    rc = tmpl_add(l->s, l->path + l->root_len + 1, data, n, l->err, l->errlen);
    l->path[len - strip] = keep;
    free(data);
    return rc;
}

static int walk(struct loader *l, size_t len, int depth);

static int visit(struct loader *l, size_t len, const char *name, int depth)
{
    size_t room = sizeof(l->path) - len;
    int n = snprintf(l->path + len, room, "/%s", name);
    if (n < 0 || (size_t)n >= room) return io_fail(l, ENAMETOOLONG);
    size_t nlen = len + (size_t)n;
    struct stat st;
    if (stat(l->path, &st) != 0) return io_fail(l, errno);
    if (S_ISDIR(st.st_mode)) {
        if (depth >= KP_TMPL_MAX_DIRS) return io_fail(l, ELOOP);
        return walk(l, nlen, depth + 1);
    }
    if (S_ISREG(st.st_mode) && ends_with(name, ".html")) return load_file(l, nlen, 5);
    if (S_ISREG(st.st_mode) && ends_with(name, ".txt")) return load_file(l, nlen, 0);
    return 0;
}

static int walk(struct loader *l, size_t len, int depth)
{
    DIR *d = opendir(l->path);
    if (!d) return io_fail(l, errno);
    int rc = 0;
    struct dirent *e;
    while (rc == 0 && (e = readdir(d)) != NULL) {
        /* skips . and .., and hidden files such as editor swap files */
        if (e->d_name[0] == '.') continue;
        rc = visit(l, len, e->d_name, depth);
        l->path[len] = '\0';
    }
    closedir(d);
    return rc;
}

int tmpl_load_dir(tmpl_set *s, const char *dir, char *err, size_t errlen)
{
    if (err && errlen) err[0] = '\0';
    if (!s || !dir) return -1;
    struct loader *l = xrealloc(NULL, sizeof(*l));
    l->s = s;
    l->err = err;
    l->errlen = errlen;
    l->root_len = strlen(dir);
    int rc;
    if (l->root_len >= sizeof(l->path)) {
        snprintf(l->path, sizeof(l->path), "%.64s...", dir);
        rc = io_fail(l, ENAMETOOLONG);
    } else {
        memcpy(l->path, dir, l->root_len + 1);
        rc = walk(l, l->root_len, 0);
    }
    free(l);
    return rc;
}
