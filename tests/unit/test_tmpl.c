/* test_tmpl.c - unit tests for the template engine (src/web/tmpl.c). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "web/tmpl.h"

/* Each test gets a fresh arena (for values and output) and template set. */
struct fx {
    arena *a;
    tmpl_set *s;
    tv *ctx;
    char err[256];
};

static int setup(void **state)
{
    struct fx *f = calloc(1, sizeof(*f));
    if (!f) return -1;
    f->a = arena_new(0);
    f->s = tmpl_set_new();
    f->ctx = tv_obj(f->a);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fx *f = *state;
    tmpl_set_free(f->s);
    arena_free(f->a);
    free(f);
    return 0;
}

/* Compiles src as `name`, failing the test on a compile error. */
static void add(struct fx *f, const char *name, const char *src)
{
    int rc = tmpl_add(f->s, name, src, strlen(src), f->err, sizeof(f->err));
    if (rc != 0) fail_msg("compile of %s failed: %s", name, f->err);
}

/* Renders `name` against f->ctx; returns the output (arena string). */
static const char *render(struct fx *f, const char *name)
{
    buf b;
    buf_init(&b, f->a, 0);
    assert_int_equal(tmpl_render(f->s, name, f->ctx, &b), 0);
    return b.data;
}

/* Compiles and renders in one go. */
static const char *run(struct fx *f, const char *src)
{
    add(f, "t", src);
    return render(f, "t");
}

/* Expects a compile error whose message starts with `prefix`. */
static void expect_error(struct fx *f, const char *src, const char *prefix, const char *reason)
{
    f->err[0] = '\0';
    assert_int_equal(tmpl_add(f->s, "bad", src, strlen(src), f->err, sizeof(f->err)), -1);
    assert_true(strncmp(f->err, prefix, strlen(prefix)) == 0);
    if (reason) assert_non_null(strstr(f->err, reason));
    assert_false(tmpl_has(f->s, "bad"));
}

/* ---------------------------------------------------------------- values */

static void test_values(void **state)
{
    struct fx *f = *state;
    tv *o = f->ctx;
    tv_set_str(o, "k", "one");
    tv_set_str(o, "k", "two"); /* replaces */
    assert_string_equal(tv_as_str(tv_get(o, "k")), "two");
    tv_set_int(o, "n", -1234567890123LL);
    assert_string_equal(tv_as_str(tv_get(o, "n")), "-1234567890123");
    tv_set_int(o, "n", 0);
    assert_string_equal(tv_as_str(tv_get(o, "n")), "0");
    tv_set_str(o, "gone", NULL);
    assert_null(tv_get(o, "gone"));
    tv_set_str(o, "k", NULL); /* NULL makes an existing key missing too */
    assert_null(tv_get(o, "k"));
    assert_non_null(tv_get(o, "n"));
    tv_set_bool(o, "b", 1);
    assert_null(tv_as_str(tv_get(o, "b")));
    tv *l = tv_set_list(o, "l");
    assert_int_equal(tv_len(l), 0);
    for (int i = 0; i < 100; i++)
        tv_push(l, tv_str(f->a, "x"));
    tv_push_obj(l);
    assert_int_equal(tv_len(l), 101);
    assert_int_equal(tv_len(o), 0); /* not a list */
    assert_null(tv_get(l, "x"));    /* not an object */
    tv *c = tv_set_obj(o, "c");
    tv_set_str(c, "in", "side");
    assert_string_equal(tv_as_str(tv_get(tv_get(o, "c"), "in")), "side");
    for (int i = 0; i < 50; i++)
        tv_set_int(o, arena_printf(f->a, "k%d", i), i);
    assert_string_equal(tv_as_str(tv_get(o, "k42")), "42");
}

/* -------------------------------------------------------------- escaping */

static void test_escaping(void **state)
{
    struct fx *f = *state;
    tv_set_str(f->ctx, "x", "a&b <i>\"q\" 'p'");
    assert_string_equal(run(f, "[{{x}}]"), "[a&amp;b &lt;i&gt;&quot;q&quot; &#39;p&#39;]");
    assert_string_equal(run(f, "[{{ x }}]"), "[a&amp;b &lt;i&gt;&quot;q&quot; &#39;p&#39;]");
}

static void test_raw(void **state)
{
    struct fx *f = *state;
    tv_set_str(f->ctx, "x", "<b>&'\"");
    assert_string_equal(run(f, "{{& x}}|{{&x}}|{{&  x  }}"), "<b>&'\"|<b>&'\"|<b>&'\"");
}

static void test_raw_spacing_error(void **state)
{
    struct fx *f = *state;
    /* the sigil must follow the braces; "{{ &x }}" is a name with '&' */
    expect_error(f, "{{ &x }}", "bad:1: ", "invalid name");
}

static void test_triple_brace_rejected(void **state)
{
    struct fx *f = *state;
    tv_set_str(f->ctx, "x", "<b>");
    expect_error(f, "ok\n{{{x}}}", "bad:2: ", "triple");
    expect_error(f, "{{{{x}}}}", "bad:1: ", "triple");
}

static void test_plain_text_and_braces(void **state)
{
    struct fx *f = *state;
    assert_string_equal(run(f, ""), "");
    assert_string_equal(run(f, "no tags { } }} {x}"), "no tags { } }} {x}");
    tv_set_str(f->ctx, "x", "X");
    assert_string_equal(run(f, "{{x}}}"), "X}");
}

static void test_embedded_nul(void **state)
{
    struct fx *f = *state;
    static const char src[] = "a\0b{{x}}";
    tv_set_str(f->ctx, "x", "c");
    assert_int_equal(tmpl_add(f->s, "t", src, sizeof(src) - 1, f->err, sizeof(f->err)), 0);
    buf b;
    buf_init(&b, f->a, 0);
    assert_int_equal(tmpl_render(f->s, "t", f->ctx, &b), 0);
    assert_int_equal(b.len, 4);
    assert_memory_equal(b.data, "a\0bc", 4);
}

static void test_missing_and_nonstring(void **state)
{
    struct fx *f = *state;
    tv_set_bool(f->ctx, "b", 1);
    tv_set_list(f->ctx, "l");
    tv_set_obj(f->ctx, "o");
    assert_string_equal(run(f, "[{{nope}}|{{b}}|{{l}}|{{o}}|{{& nope}}]"), "[||||]");
}

static void test_appends_to_buf(void **state)
{
    struct fx *f = *state;
    add(f, "t", "world");
    buf b;
    buf_init(&b, f->a, 0);
    buf_puts(&b, "hello ");
    assert_int_equal(tmpl_render(f->s, "t", f->ctx, &b), 0);
    assert_string_equal(b.data, "hello world");
}

/* ------------------------------------------------------------- sections */

static void test_section_list_of_objects(void **state)
{
    struct fx *f = *state;
    tv *l = tv_set_list(f->ctx, "courses");
    tv_set_str(tv_push_obj(l), "title", "Lassen");
    tv_set_str(tv_push_obj(l), "title", "VCA <basis>");
    assert_string_equal(run(f, "<ul>{{#courses}}<li>{{title}}</li>{{/courses}}</ul>"),
                        "<ul><li>Lassen</li><li>VCA &lt;basis&gt;</li></ul>");
}

static void test_section_list_of_strings_dot(void **state)
{
    struct fx *f = *state;
    tv *l = tv_set_list(f->ctx, "tags");
    tv_push(l, tv_str(f->a, "a"));
    tv_push(l, tv_str(f->a, "<b>"));
    tv_push(l, tv_str(f->a, "c"));
    assert_string_equal(run(f, "{{#tags}}[{{.}}]{{/tags}}"), "[a][&lt;b&gt;][c]");
    assert_string_equal(run(f, "{{#tags}}[{{& .}}]{{/tags}}"), "[a][<b>][c]");
}

static void test_section_object(void **state)
{
    struct fx *f = *state;
    tv *o = tv_set_obj(f->ctx, "user");
    tv_set_str(o, "name", "Anna");
    assert_string_equal(run(f, "{{#user}}Hi {{name}}{{/user}}"), "Hi Anna");
    tv_set_obj(f->ctx, "empty"); /* an empty object is still truthy */
    assert_string_equal(run(f, "{{#empty}}yes{{/empty}}{{^empty}}no{{/empty}}"), "yes");
}

static void test_section_bool(void **state)
{
    struct fx *f = *state;
    tv_set_bool(f->ctx, "t", 1);
    tv_set_bool(f->ctx, "f", 0);
    tv_set_str(f->ctx, "x", "X");
    assert_string_equal(run(f, "{{#t}}T{{x}}{{/t}}{{#f}}F{{/f}}"), "TX");
}

static void test_section_string_pushes(void **state)
{
    struct fx *f = *state;
    tv_set_str(f->ctx, "s", "v&l");
    assert_string_equal(run(f, "{{#s}}<{{.}}>{{/s}}"), "<v&amp;l>");
}

static void test_falsy_values(void **state)
{
    struct fx *f = *state;
    tv_set_list(f->ctx, "el");
    tv_set_str(f->ctx, "es", "");
    tv_set_bool(f->ctx, "f", 0);
    tv_set_str(f->ctx, "s", "x");
    tv_push(tv_set_list(f->ctx, "l"), tv_str(f->a, "i"));
    assert_string_equal(run(f, "{{#el}}A{{/el}}{{#es}}B{{/es}}{{#f}}C{{/f}}{{#nope}}D{{/nope}}"),
                        "");
    assert_string_equal(run(f, "{{^el}}A{{/el}}{{^es}}B{{/es}}{{^f}}C{{/f}}{{^nope}}D{{/nope}}"),
                        "ABCD");
    assert_string_equal(run(f, "{{^s}}A{{/s}}{{^l}}B{{/l}}|"), "|");
}

static void test_inverted_does_not_push(void **state)
{
    struct fx *f = *state;
    tv_set_str(f->ctx, "x", "outer");
    assert_string_equal(run(f, "{{^none}}{{x}}{{/none}}"), "outer");
}

static void test_nested_context(void **state)
{
    struct fx *f = *state;
    tv_set_str(f->ctx, "site", "KP");
    tv_set_str(f->ctx, "name", "root");
    tv *l = tv_set_list(f->ctx, "items");
    tv *a = tv_push_obj(l);
    tv_set_str(a, "name", "a");
    tv *sub = tv_set_list(a, "sub");
    tv_set_str(tv_push_obj(sub), "v", "1");
    tv_set_str(tv_push_obj(sub), "v", "2");
    tv_push_obj(l); /* no name: falls back to the root's */
    const char *out =
        run(f, "{{#items}}({{name}}@{{site}}:{{#sub}}{{v}}{{name}}{{/sub}}){{/items}}{{name}}");
    assert_string_equal(out, "(a@KP:1a2a)(root@KP:)root");
}

static void test_same_name_nested(void **state)
{
    struct fx *f = *state;
    tv *o = tv_set_obj(f->ctx, "a");
    tv_set_obj(o, "a");
    assert_string_equal(run(f, "{{#a}}{{#a}}x{{/a}}{{/a}}"), "x");
}

static void test_dotted_names(void **state)
{
    struct fx *f = *state;
    tv *a = tv_set_obj(f->ctx, "a");
    tv *b = tv_set_obj(a, "b");
    tv_set_str(b, "c", "deep");
    tv_set_str(a, "s", "as");
    assert_string_equal(run(f, "{{a.b.c}}|{{a.s}}|{{a.x}}|{{x.y}}|{{a.s.t}}"), "deep|as|||");
    assert_string_equal(run(f, "{{#a.b}}{{c}}{{/a.b}}{{^a.b.z}}!{{/a.b.z}}"), "deep!");
    /* first segment walks up the stack from inside a section */
    tv *l = tv_set_list(f->ctx, "l");
    tv_push_obj(l);
    assert_string_equal(run(f, "{{#l}}{{a.b.c}}{{/l}}"), "deep");
}

static void test_dotted_no_fallback(void **state)
{
    struct fx *f = *state;
    /* root has b.c; the inner object has b without c. Once "b" is found,
     * the rest is looked up only inside it (Mustache semantics). */
    tv_set_str(tv_set_obj(f->ctx, "b"), "c", "outer");
    tv *in = tv_set_obj(f->ctx, "in");
    tv_set_obj(in, "b");
    assert_string_equal(run(f, "[{{#in}}{{b.c}}{{/in}}]"), "[]");
}

static void test_dot_top_level(void **state)
{
    struct fx *f = *state;
    /* {{.}} of an object prints nothing; a NULL context is allowed */
    add(f, "t", "[{{.}}{{x}}{{#x}}y{{/x}}{{^x}}n{{/x}}]");
    buf b;
    buf_init(&b, f->a, 0);
    assert_int_equal(tmpl_render(f->s, "t", NULL, &b), 0);
    assert_string_equal(b.data, "[n]");
    assert_string_equal(render(f, "t"), "[n]");
}

/* ------------------------------------------------------------- partials */

static void test_partials(void **state)
{
    struct fx *f = *state;
    add(f, "page", "<h1>{{title}}</h1>{{> catalog/row}}{{#rows}}{{>catalog/row}}{{/rows}}");
    add(f, "catalog/row", "<p>{{title}}</p>");
    tv_set_str(f->ctx, "title", "T&");
    tv *l = tv_set_list(f->ctx, "rows");
    tv_set_str(tv_push_obj(l), "title", "r1");
    tv_push_obj(l); /* inherits the outer title */
    assert_string_equal(render(f, "page"), "<h1>T&amp;</h1><p>T&amp;</p><p>r1</p><p>T&amp;</p>");
}

static void test_partial_added_later_and_replaced(void **state)
{
    struct fx *f = *state;
    add(f, "a", "[{{>b}}]");
    add(f, "b", "one");
    assert_string_equal(render(f, "a"), "[one]");
    add(f, "b", "two"); /* replacing relinks users of the partial */
    assert_string_equal(render(f, "a"), "[two]");
    assert_true(tmpl_has(f->s, "a"));
    assert_true(tmpl_has(f->s, "b"));
    assert_false(tmpl_has(f->s, "c"));
}

static void test_partial_recursion_limit(void **state)
{
    struct fx *f = *state;
    add(f, "rec", "x{{>rec}}");
    const char *out = render(f, "rec");
    /* the top-level template plus 16 nested partial levels */
    assert_int_equal(strlen(out), 17);
    assert_string_equal(out, "xxxxxxxxxxxxxxxxx");
    /* mutual recursion stops the same way */
    add(f, "p", "p{{>q}}");
    add(f, "q", "q{{>p}}");
    assert_string_equal(render(f, "p"), "pqpqpqpqpqpqpqpqp");
}

static void test_partial_recursion_through_data(void **state)
{
    struct fx *f = *state;
    /* a tree rendered by a recursive partial: recursion ends with data */
    add(f, "node", "({{name}}{{#kids}}{{>node}}{{/kids}})");
    tv_set_str(f->ctx, "name", "r");
    tv *kids = tv_set_list(f->ctx, "kids");
    tv *k1 = tv_push_obj(kids);
    tv_set_str(k1, "name", "a");
    tv_set_list(k1, "kids");
    tv *k2 = tv_push_obj(kids);
    tv_set_str(k2, "name", "b");
    tv *c = tv_push_obj(tv_set_list(k2, "kids"));
    tv_set_str(c, "name", "c");
    tv_set_list(c, "kids"); /* without it, "kids" would be found on b again */
    assert_string_equal(render(f, "node"), "(r(a)(b(c)))");
}

static void test_unknown_partial(void **state)
{
    struct fx *f = *state;
    add(f, "t", "a{{>nope}}b");
    buf b;
    buf_init(&b, f->a, 0);
    /* the partial renders as nothing, the rest is rendered, -1 flags it */
    assert_int_equal(tmpl_render(f->s, "t", f->ctx, &b), -1);
    assert_string_equal(b.data, "ab");
    /* a missing partial in a section that is not rendered goes unnoticed */
    add(f, "u", "a{{#no}}{{>nope}}{{/no}}b");
    assert_string_equal(render(f, "u"), "ab");
}

static void test_unknown_template(void **state)
{
    struct fx *f = *state;
    buf b;
    buf_init(&b, f->a, 0);
    buf_puts(&b, "keep");
    assert_int_equal(tmpl_render(f->s, "nope", f->ctx, &b), -1);
    assert_string_equal(b.data, "keep");
    add(f, "t", "x");
    assert_int_equal(tmpl_render(f->s, "T", f->ctx, &b), -1);
    assert_int_equal(tmpl_render(f->s, NULL, f->ctx, &b), -1);
    assert_string_equal(b.data, "keep");
}

/* ------------------------------------------------------------- comments */

static void test_comments(void **state)
{
    struct fx *f = *state;
    tv_set_str(f->ctx, "x", "X");
    assert_string_equal(run(f, "a{{! note }}b{{!}}c{{! {{x and } b }}d"), "abcd");
    /* a comment ends at the first closing braces */
    assert_string_equal(run(f, "a{{! {{x}} rest }}b"), "a rest }}b");
    assert_string_equal(run(f, "a{{! multi\nline\ncomment }}b{{x}}"), "abX");
}

/* ------------------------------------------------------- compile errors */

static void test_errors(void **state)
{
    struct fx *f = *state;
    expect_error(f, "a\n{{#s}}\nb", "bad:2: ", "unclosed section 's'");
    expect_error(f, "{{#a}}{{#b}}\n\n{{/a}}{{/b}}", "bad:3: ", "does not match section 'b'");
    expect_error(f, "x\n\n\n{{/a}}", "bad:4: ", "without an open section");
    expect_error(f, "a\nb {{x", "bad:2: ", "unterminated tag");
    expect_error(f, "{{x}", "bad:1: ", "unterminated tag");
    expect_error(f, "{{", "bad:1: ", "unterminated tag");
    expect_error(f, "{{! never closed", "bad:1: ", "unterminated tag");
    expect_error(f, "{{}}", "bad:1: ", "empty tag name");
    expect_error(f, "{{  }}", "bad:1: ", "empty tag name");
    expect_error(f, "{{# }}{{/ }}", "bad:1: ", "empty tag name");
    expect_error(f, "{{&}}", "bad:1: ", "empty tag name");
    expect_error(f, "{{>}}", "bad:1: ", "empty tag name");
    expect_error(f, "{{a b}}", "bad:1: ", "invalid name 'a b'");
    expect_error(f, "{{a..b}}", "bad:1: ", "invalid name");
    expect_error(f, "{{.a}}", "bad:1: ", "invalid name");
    expect_error(f, "{{a.}}", "bad:1: ", "invalid name");
    expect_error(f, "{{a/b}}", "bad:1: ", "invalid name");
    expect_error(f, "{{=<% %>=}}", "bad:1: ", "set-delimiter");
    expect_error(f, "{{#a}}x{{/A}}", "bad:1: ", "does not match");
}

static void test_error_does_not_replace(void **state)
{
    struct fx *f = *state;
    add(f, "t", "good");
    assert_int_equal(tmpl_add(f->s, "t", "{{#x}}", 6, f->err, sizeof(f->err)), -1);
    assert_string_equal(render(f, "t"), "good");
}

static void test_error_buffer_edge_cases(void **state)
{
    struct fx *f = *state;
    char small[8];
    assert_int_equal(tmpl_add(f->s, "long-template-name", "{{", 2, small, sizeof(small)), -1);
    assert_int_equal(strlen(small), sizeof(small) - 1);
    assert_int_equal(tmpl_add(f->s, "t", "{{", 2, NULL, 0), -1);
    assert_int_equal(tmpl_add(f->s, "t", NULL, 0, NULL, 0), 0); /* empty template */
    assert_string_equal(render(f, "t"), "");
}

static void test_nesting_limit(void **state)
{
    struct fx *f = *state;
    buf b;
    buf_init(&b, f->a, 0);
    for (int i = 0; i < 64; i++)
        buf_puts(&b, "{{#a}}");
    for (int i = 0; i < 64; i++)
        buf_puts(&b, "{{/a}}");
    assert_int_equal(tmpl_add(f->s, "ok", b.data, b.len, f->err, sizeof(f->err)), 0);
    buf_init(&b, f->a, 0);
    for (int i = 0; i < 65; i++)
        buf_puts(&b, "{{#a}}");
    assert_int_equal(tmpl_add(f->s, "deep", b.data, b.len, f->err, sizeof(f->err)), -1);
    assert_non_null(strstr(f->err, "nested"));
}

/* ----------------------------------------------------------- whitespace */

static void test_standalone_lines(void **state)
{
    struct fx *f = *state;
    tv *l = tv_set_list(f->ctx, "l");
    tv_push(l, tv_str(f->a, "a"));
    tv_push(l, tv_str(f->a, "b"));
    const char *src = "<ul>\n"
                      "  {{#l}}\n"
                      "  <li>{{.}}</li>\n"
                      "  {{/l}}\n"
                      "  {{^l}}\n"
                      "  <li>none</li>\n"
                      "  {{/l}}\n"
                      "\t{{! comment }}  \n"
                      "</ul>\n";
    assert_string_equal(run(f, src), "<ul>\n  <li>a</li>\n  <li>b</li>\n</ul>\n");
}

static void test_standalone_edges(void **state)
{
    struct fx *f = *state;
    tv_set_bool(f->ctx, "t", 1);
    tv_set_str(f->ctx, "x", "X");
    /* CRLF line endings */
    assert_string_equal(run(f, "a\r\n{{#t}}\r\nb\r\n{{/t}}\r\nc"), "a\r\nb\r\nc");
    /* at the very start and at the end without a newline */
    assert_string_equal(run(f, "{{#t}}\nb\n  {{/t}}"), "b\n");
    /* not standalone: other content or other tags on the line */
    assert_string_equal(run(f, " {{#t}}b{{/t}} \n"), " b \n");
    assert_string_equal(run(f, "{{#t}}{{/t}}\n"), "\n");
    assert_string_equal(run(f, "{{x}}\n{{#t}}\n"
                               "y\n{{/t}}\n"),
                        "X\ny\n");
    /* variables never stand alone */
    assert_string_equal(run(f, "  {{x}}\n"), "  X\n");
    /* multi-line standalone comment */
    assert_string_equal(run(f, "a\n  {{! one\n two }}\nb"), "a\nb");
}

static void test_standalone_partial(void **state)
{
    struct fx *f = *state;
    add(f, "p", "<p>\n");
    /* the line break after the tag goes; the indentation stays */
    assert_string_equal(run(f, "<div>\n  {{> p}}\n</div>\n"), "<div>\n  <p>\n</div>\n");
}

/* ------------------------------------------------------------ load_dir */

static void write_file(const char *dir, const char *rel, const char *text)
{
    char path[512];
    snprintf(path, sizeof(path), "%s/%s", dir, rel);
    FILE *fp = fopen(path, "w");
    assert_non_null(fp);
    fputs(text, fp);
    fclose(fp);
}

static void remove_file(const char *dir, const char *rel)
{
    char path[512];
    snprintf(path, sizeof(path), "%s/%s", dir, rel);
    assert_int_equal(remove(path), 0);
}

static void test_load_dir(void **state)
{
    struct fx *f = *state;
    char dir[] = "/tmp/kp_tmpl_XXXXXX";
    assert_non_null(mkdtemp(dir));
    char sub[600];
    snprintf(sub, sizeof(sub), "%s/catalog", dir);
    assert_int_equal(mkdir(sub, 0700), 0);
    write_file(dir, "layout.html", "<main>{{> catalog/course}}</main>");
    write_file(dir, "catalog/course.html", "<h2>{{title}}</h2>\n");
    write_file(dir, "notes.md", "{{ not a template");
    write_file(dir, "mail.txt", "Beste {{& name}},");
    write_file(dir, ".hidden.html", "{{#broken");
    write_file(dir, "catalog/x.html.bak", "{{");

    assert_int_equal(tmpl_load_dir(f->s, dir, f->err, sizeof(f->err)), 0);
    assert_true(tmpl_has(f->s, "layout"));
    assert_true(tmpl_has(f->s, "catalog/course"));
    assert_false(tmpl_has(f->s, "notes"));
    assert_false(tmpl_has(f->s, "notes.md"));
    assert_true(tmpl_has(f->s, "mail.txt")); /* plain-text templates keep ".txt" */
    assert_false(tmpl_has(f->s, ".hidden"));
    assert_false(tmpl_has(f->s, "catalog/x.html"));
    tv_set_str(f->ctx, "title", "Heftruck & co");
    assert_string_equal(render(f, "layout"), "<main><h2>Heftruck &amp; co</h2>\n</main>");

    /* a compile error names the template and line */
    write_file(dir, "catalog/bad.html", "ok\n{{#open}}\n");
    assert_int_equal(tmpl_load_dir(f->s, dir, f->err, sizeof(f->err)), -1);
    assert_non_null(strstr(f->err, "catalog/bad:2: unclosed section"));

    remove_file(dir, "catalog/bad.html");
    remove_file(dir, "catalog/x.html.bak");
    remove_file(dir, "catalog/course.html");
    remove_file(dir, "layout.html");
    remove_file(dir, "notes.md");
    remove_file(dir, "mail.txt");
    remove_file(dir, ".hidden.html");
    assert_int_equal(rmdir(sub), 0);
    assert_int_equal(rmdir(dir), 0);

    /* a missing directory is an error mentioning the path */
    assert_int_equal(tmpl_load_dir(f->s, dir, f->err, sizeof(f->err)), -1);
    assert_non_null(strstr(f->err, dir));
}

static void test_load_dir_trailing_slash(void **state)
{
    struct fx *f = *state;
    char dir[] = "/tmp/kp_tmpl_XXXXXX";
    assert_non_null(mkdtemp(dir));
    write_file(dir, "a.html", "A");
    char with_slash[64];
    snprintf(with_slash, sizeof(with_slash), "%s/", dir);
    assert_int_equal(tmpl_load_dir(f->s, with_slash, f->err, sizeof(f->err)), 0);
    assert_true(tmpl_has(f->s, "a"));
    assert_string_equal(render(f, "a"), "A");
    remove_file(dir, "a.html");
    assert_int_equal(rmdir(dir), 0);
}

/* ------------------------------------------------------------- volume */

static void test_many_templates_and_items(void **state)
{
    struct fx *f = *state;
    /* names arrive unsorted; lookup must still find each one */
    for (int i = 99; i >= 0; i--) {
        char name[16], src[32];
        snprintf(name, sizeof(name), "t%d", (i * 37) % 100);
        snprintf(src, sizeof(src), "[%d]", (i * 37) % 100);
        add(f, name, src);
    }
    for (int i = 0; i < 100; i++) {
        char name[16], want[16];
        snprintf(name, sizeof(name), "t%d", i);
        snprintf(want, sizeof(want), "[%d]", i);
        assert_string_equal(render(f, name), want);
    }
    tv *l = tv_set_list(f->ctx, "l");
    for (int i = 0; i < 1000; i++)
        tv_set_int(tv_push_obj(l), "n", i);
    add(f, "big", "{{#l}}{{n}},{{/l}}");
    const char *out = render(f, "big");
    assert_int_equal(strncmp(out, "0,1,2,", 6), 0);
    assert_non_null(strstr(out, ",998,999,"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
        T(test_values),
        T(test_escaping),
        T(test_raw),
        T(test_raw_spacing_error),
        T(test_triple_brace_rejected),
        T(test_plain_text_and_braces),
        T(test_embedded_nul),
        T(test_missing_and_nonstring),
        T(test_appends_to_buf),
        T(test_section_list_of_objects),
        T(test_section_list_of_strings_dot),
        T(test_section_object),
        T(test_section_bool),
        T(test_section_string_pushes),
        T(test_falsy_values),
        T(test_inverted_does_not_push),
        T(test_nested_context),
        T(test_same_name_nested),
        T(test_dotted_names),
        T(test_dotted_no_fallback),
        T(test_dot_top_level),
        T(test_partials),
        T(test_partial_added_later_and_replaced),
        T(test_partial_recursion_limit),
        T(test_partial_recursion_through_data),
        T(test_unknown_partial),
        T(test_unknown_template),
        T(test_comments),
        T(test_errors),
        T(test_error_does_not_replace),
        T(test_error_buffer_edge_cases),
        T(test_nesting_limit),
        T(test_standalone_lines),
        T(test_standalone_edges),
        T(test_standalone_partial),
        T(test_load_dir),
        T(test_load_dir_trailing_slash),
        T(test_many_templates_and_items),
#undef T
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
