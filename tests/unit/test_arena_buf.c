/* Unit tests: arena allocator, string buffer and HTML escaping. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "core/arena.h"
#include "core/buf.h"

static void arena_alignment_and_big_blocks(void **state)
{
    (void)state;
    arena *a = arena_new(1024);
    for (int i = 1; i < 200; i++) {
        void *p = arena_alloc(a, (size_t)i);
        assert_int_equal((uintptr_t)p % 16, 0);
        memset(p, 0xAB, (size_t)i);
    }
    char *big = arena_alloc(a, 100000); /* larger than a block */
    memset(big, 1, 100000);
    assert_true(arena_used(a) >= 100000);
    char *z = arena_zalloc(a, 64);
    for (int i = 0; i < 64; i++)
        assert_int_equal(z[i], 0);
    arena_reset(a);
    assert_int_equal(arena_used(a), 0);
    assert_non_null(arena_alloc(a, 10));
    arena_free(a);
}

static void arena_strings(void **state)
{
    (void)state;
    arena *a = arena_new(0);
    assert_string_equal(arena_strdup(a, "abc"), "abc");
    assert_null(arena_strdup(a, NULL));
    assert_string_equal(arena_strndup(a, "abcdef", 3), "abc");
    assert_string_equal(arena_printf(a, "%d-%s", 42, "x"), "42-x");
    arena_free(a);
}

static void buf_grows(void **state)
{
    (void)state;
    arena *a = arena_new(0);
    buf b;
    buf_init(&b, a, 4);
    for (int i = 0; i < 1000; i++)
        buf_printf(&b, "%d,", i % 10);
    assert_int_equal(b.len, 2000);
    assert_int_equal(strlen(b.data), 2000);
    assert_memory_equal(b.data, "0,1,2,", 6);
    arena_free(a);
}

static void buf_escapes_html(void **state)
{
    (void)state;
    arena *a = arena_new(0);
    buf b;
    buf_init(&b, a, 0);
    buf_html_str(&b, "<script>alert('x') & \"y\"</script>");
    assert_string_equal(b.data,
                        "&lt;script&gt;alert(&#39;x&#39;) &amp; &quot;y&quot;&lt;/script&gt;");
    arena_free(a);
}

static void buf_url_encodes(void **state)
{
    (void)state;
    arena *a = arena_new(0);
    buf b;
    buf_init(&b, a, 0);
    buf_url(&b, "Den Helder - Kievitstraat 31&x=é");
    assert_string_equal(b.data, "Den%20Helder%20-%20Kievitstraat%2031%26x%3D%C3%A9");
    arena_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(arena_alignment_and_big_blocks),
        cmocka_unit_test(arena_strings),
        cmocka_unit_test(buf_grows),
        cmocka_unit_test(buf_escapes_html),
        cmocka_unit_test(buf_url_encodes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
