/* fuzz_tmpl.c - libFuzzer target for the template engine.
 *
 * Compiles the input as a template and, when it compiles, renders it
 * against a small fixed context (a list, objects, strings with HTML
 * specials, booleans). Everything is freed each run so LeakSanitizer
 * catches leaks in the compile error paths too.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "web/tmpl.h"

/* The input's own name contains a space, which partial names cannot, so
 * the input cannot include itself: a template that includes itself k times
 * renders k^16 times and would only measure the fuzzer's patience. */
#define INPUT_NAME "fuzz input"

/* Fixed partials the input may use: a plain one and a self-recursive one
 * that exercises the nesting limit. Neither iterates over a list. */
static const char partial_p[] = "<p title=\"{{s}}\">{{#obj}}{{a.b}}{{/obj}}{{& s}}</p>\n";
static const char partial_rec[] = "[{{>rec}}]";

/* Each "{{#" may iterate over a two-item list, so output grows up to
 * 2^sections times the input. Rendering is skipped beyond this bound to
 * keep runs fast; compiling is always done. */
static int cheap_enough(const uint8_t *data, size_t size)
{
    unsigned sections = 0;
    for (size_t i = 0; i + 2 < size; i++)
        if (data[i] == '{' && data[i + 1] == '{' && data[i + 2] == '#') sections++;
    if (sections >= 20) return 0;
    return (size << sections) <= ((size_t)1 << 20);
}

static tv *make_context(arena *a)
{
    tv *ctx = tv_obj(a);
    tv_set_str(ctx, "s", "<script>alert('x')</script> & \"q\"");
    tv_set_str(ctx, "empty", "");
    tv_set_bool(ctx, "t", 1);
    tv_set_bool(ctx, "f", 0);
    tv_set_int(ctx, "n", -42);
    tv_set_list(ctx, "el");
    tv *obj = tv_set_obj(ctx, "obj");
    tv_set_str(tv_set_obj(obj, "a"), "b", "deep & <deeper>");
    tv_set_str(obj, "x", "'x'");
    tv *list = tv_set_list(ctx, "list");
    tv *item = tv_push_obj(list);
    tv_set_str(item, "name", "<Anna & Bob>");
    tv *tags = tv_set_list(item, "tags");
    tv_push(tags, tv_str(a, "a\"b"));
    tv_push(tags, tv_str(a, ""));
    tv_push(list, tv_str(a, "it's"));
    return ctx;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char err[128];
    tmpl_set *s = tmpl_set_new();
    if (tmpl_add(s, "p", partial_p, strlen(partial_p), err, sizeof(err)) != 0 ||
        tmpl_add(s, "rec", partial_rec, strlen(partial_rec), err, sizeof(err)) != 0)
        __builtin_trap(); /* the fixed partials must always compile */

    if (tmpl_add(s, INPUT_NAME, (const char *)data, size, err, sizeof(err)) == 0 &&
        cheap_enough(data, size)) {
        arena *a = arena_new(0);
        buf out;
        buf_init(&out, a, 0);
        int rc = tmpl_render(s, INPUT_NAME, make_context(a), &out);
        if (rc != 0 && rc != -1) __builtin_trap();
        if (out.data[out.len] != '\0') __builtin_trap(); /* buf keeps a NUL at len */
        arena_free(a);
    } else if (memchr(err, '\0', sizeof(err)) == NULL) {
        __builtin_trap(); /* err must always be a C string */
    }
    tmpl_set_free(s);
    return 0;
}
