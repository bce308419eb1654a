/* Unit tests: what the audit line says about a changed Markdown text, line
 * ends from a textarea, and the address of a new news item. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "content/internal.h"
#include "core/buf.h"

static void change(arena *a, const char *old, const char *nw, const char **o, const char **n)
{
    content_text_change(a, old, nw, o, n);
}

static void describes_where_texts_differ(void **state)
{
    (void)state;
    arena *a = arena_new(0);
    const char *o, *n;
    change(a, "Wij zijn er sinds 1990.", "Wij zijn er sinds 1991.", &o, &n);
    assert_string_equal(o, "23 tekens: Wij zijn er sinds 1990.");
    assert_string_equal(n, "23 tekens: Wij zijn er sinds 1991.");

    /* deep in a long text: a little before the difference, cut after */
    const char *lead = "Deze alinea blijft gelijk en is langer dan het stuk dat wordt getoond. ";
    const char *tail =
        " En hierna komt nog veel meer tekst die niet in de regel van het logboek past.";
    char *old = arena_printf(a, "%sOude zin.%s", lead, tail);
    char *nw = arena_printf(a, "%sNieuwe zin.%s", lead, tail);
    change(a, old, nw, &o, &n);
    assert_string_equal(
        o,
        "158 tekens: …stuk dat wordt getoond. Oude zin. En hierna komt nog veel meer tekst die…");
    assert_string_equal(
        n,
        "160 tekens: …stuk dat wordt getoond. Nieuwe zin. En hierna komt nog veel meer tekst d…");

    /* added at the end; a new text; a text emptied */
    change(a, "abc", "abcdef", &o, &n);
    assert_string_equal(o, "3 tekens: abc");
    assert_string_equal(n, "6 tekens: abcdef");
    change(a, "", "Nieuw", &o, &n);
    assert_string_equal(o, "");
    assert_string_equal(n, "5 tekens: Nieuw");
    change(a, "Weg", NULL, &o, &n);
    assert_string_equal(o, "3 tekens: Weg");
    assert_string_equal(n, "");
    arena_free(a);
}

/* Every piece is whole UTF-8, also when the texts differ inside a
 * character or the cut falls in one. */
static int utf8_whole(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        int n = *p < 0x80             ? 0
                : (*p & 0xE0) == 0xC0 ? 1
                : (*p & 0xF0) == 0xE0 ? 2
                : (*p & 0xF8) == 0xF0 ? 3
                                      : -1;
        if (n < 0) return 0;
        p++;
        for (int i = 0; i < n; i++, p++)
            if ((*p & 0xC0) != 0x80) return 0;
    }
    return 1;
}

static void keeps_characters_whole(void **state)
{
    (void)state;
    arena *a = arena_new(0);
    const char *o, *n;
    buf b;
    buf_init(&b, a, 256);
    for (int i = 0; i < 40; i++)
        buf_puts(&b, "é");
    char *old = arena_printf(a, "%sé%s", b.data, b.data);
    char *nw = arena_printf(a, "%sè%s", b.data, b.data);
    change(a, old, nw, &o, &n);
    assert_true(utf8_whole(o));
    assert_true(utf8_whole(n));
    assert_string_not_equal(o, n);
    assert_non_null(strstr(o, "81 tekens: …"));
    arena_free(a);
}

/* Different texts never read the same, the same texts always do. */
static void different_texts_differ(void **state)
{
    (void)state;
    arena *a = arena_new(0);
    const char *alphabet[] = {"a", "b", "é", "è", " ", "\n"};
    unsigned seed = 12345;
    for (int round = 0; round < 2000; round++) {
        buf x, y;
        buf_init(&x, a, 64);
        buf_init(&y, a, 64);
        int len = 60 + (int)((seed = seed * 1103515245u + 12345u) >> 16) % 80;
        for (int i = 0; i < len; i++) {
            seed = seed * 1103515245u + 12345u;
            const char *c = alphabet[(seed >> 16) % 6];
            buf_puts(&x, c);
            /* now and then a different character, or one left out */
            seed = seed * 1103515245u + 12345u;
            unsigned r = (seed >> 16) % 400;
            if (r == 0)
                buf_puts(&y, alphabet[(seed >> 8) % 6]);
            else if (r != 1)
                buf_puts(&y, c);
        }
        const char *o, *n;
        change(a, x.data, y.data, &o, &n);
        assert_true(utf8_whole(o) && utf8_whole(n));
        if (strcmp(x.data, y.data) != 0)
            assert_string_not_equal(o, n);
        else
            assert_string_equal(o, n);
    }
    arena_free(a);
}

static void line_ends(void **state)
{
    (void)state;
    arena *a = arena_new(0);
    assert_string_equal(content_unix_lines(a, "a\r\nb\rc\n\r\n"), "a\nb\nc\n\n");
    assert_string_equal(content_unix_lines(a, NULL), "");
    arena_free(a);
}

static void news_slugs(void **state)
{
    (void)state;
    arena *a = arena_new(0);
    assert_string_equal(content_news_slug_base(a, "Nieuwe data: 2027!"), "nieuwe-data-2027");
    assert_string_equal(content_news_slug_base(a, "???"), "item");
    const char *longer =
        "Een heel lange titel over de licentieverlenging gewasbescherming en alles wat "
        "daarbij komt kijken";
    char *s = content_news_slug_base(a, longer);
    assert_true(strlen(s) <= 80);
    assert_string_equal(
        s, "een-heel-lange-titel-over-de-licentieverlenging-gewasbescherming-en-alles-wat");
    arena_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(describes_where_texts_differ),
        cmocka_unit_test(keeps_characters_whole),
        cmocka_unit_test(different_texts_differ),
        cmocka_unit_test(line_ends),
        cmocka_unit_test(news_slugs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
