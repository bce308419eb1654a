/* Unit tests: slugs and slug paths of Ons aanbod. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "catalog/slug.h"

static void makes_slugs(void **state)
{
    (void)state;
    arena *a = arena_new(0);
    assert_string_equal(slug_make(a, "Agro & Groen"), "agro-groen");
    assert_string_equal(slug_make(a, "Cursussen & Trainingen"), "cursussen-trainingen");
    assert_string_equal(slug_make(a, "Medical Care (STCW)"), "medical-care-stcw");
    assert_string_equal(slug_make(a, "  Café Übersicht  "), "cafe-ubersicht");
    assert_string_equal(slug_make(a, "Opleidingscoördinator"), "opleidingscoordinator");
    assert_string_equal(slug_make(a, "2e testcursus"), "2e-testcursus");
    assert_string_equal(slug_make(a, "&&&"), "item");
    assert_string_equal(slug_make(a, "a×b"), "a-b");
    arena_free(a);
}

static void validates_paths(void **state)
{
    (void)state;
    assert_true(slug_path_valid("cursussen-trainingen"));
    assert_true(slug_path_valid("cursussen-trainingen/agro-groen/licentieverlengingen"));
    assert_false(slug_path_valid(""));
    assert_false(slug_path_valid(NULL));
    assert_false(slug_path_valid("a//b"));
    assert_false(slug_path_valid("/a"));
    assert_false(slug_path_valid("a/"));
    assert_false(slug_path_valid("A/b"));
    assert_false(slug_path_valid("a/b c"));
    assert_false(slug_path_valid("a/../b"));
    assert_false(slug_path_valid("a/b/c/d/e/f/g/h/i/j/k/l/m"));
    assert_true(slug_path_valid("a/b/c/d/e/f/g/h/i/j/k/l"));
}

static void validates_slugs(void **state)
{
    (void)state;
    assert_true(slug_valid("agro-groen"));
    assert_true(slug_valid("stcw-2027"));
    assert_true(slug_valid("a"));
    assert_false(slug_valid(""));
    assert_false(slug_valid(NULL));
    assert_false(slug_valid("-agro"));
    assert_false(slug_valid("agro-"));
    assert_false(slug_valid("agro--groen"));
    assert_false(slug_valid("Agro"));
    assert_false(slug_valid("agro groen"));
    assert_false(slug_valid("agro/groen"));
    char long_slug[SLUG_MAX + 2];
    memset(long_slug, 'a', sizeof long_slug - 1);
    long_slug[SLUG_MAX + 1] = '\0';
    assert_false(slug_valid(long_slug));
    long_slug[SLUG_MAX] = '\0';
    assert_true(slug_valid(long_slug));
}

static void splits_paths(void **state)
{
    (void)state;
    arena *a = arena_new(0);
    char *parent, *last;
    slug_path_split(a, "a/b/c", &parent, &last);
    assert_string_equal(parent, "a/b");
    assert_string_equal(last, "c");
    slug_path_split(a, "c", &parent, &last);
    assert_string_equal(parent, "");
    assert_string_equal(last, "c");
    arena_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(makes_slugs),
        cmocka_unit_test(validates_paths),
        cmocka_unit_test(validates_slugs),
        cmocka_unit_test(splits_paths),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
