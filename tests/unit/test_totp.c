/* Unit tests: the second factor's pure parts - TOTP codes against the
 * RFC 6238 test vectors (SHA-1, cut to 6 digits), base32 as RFC 4648
 * spells it, the window and the once-only rule, the otpauth address, the
 * QR code's markup, typed codes in their normal form, and the audit
 * trail's field lines. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "auth/audit.h"
#include "auth/secondfactor.h"
#include "core/qrsvg.h"
#include "core/totp.h"

static const unsigned char rfc_key[] = "12345678901234567890";
#define RFC_KEY_LEN 20

static void rfc6238_vectors(void **state)
{
    (void)state;
    static const struct {
        long long t;
        const char *code; /* the RFC's 8 digits, last 6 */
    } v[] = {
        {59, "287082"},         {1111111109, "081804"}, {1111111111, "050471"},
        {1234567890, "005924"}, {2000000000, "279037"}, {20000000000LL, "353130"},
    };
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
        char out[TOTP_DIGITS + 1];
        assert_int_equal(totp_code(rfc_key, RFC_KEY_LEN, v[i].t / 30, out), 0);
        assert_string_equal(out, v[i].code);
    }
}

static void base32_as_rfc4648(void **state)
{
    (void)state;
    arena *a = arena_new(0);
    assert_string_equal(totp_base32(a, (const unsigned char *)"foobar", 6), "MZXW6YTBOI");
    assert_string_equal(totp_base32(a, (const unsigned char *)"f", 1), "MY");
    assert_string_equal(totp_grouped(a, "MZXW6YTBOI"), "MZXW 6YTB OI");
    unsigned char *out;
    size_t n;
    assert_int_equal(totp_decode(a, "mzxw 6ytb oi", &out, &n), 0);
    assert_int_equal(n, 6);
    assert_memory_equal(out, "foobar", 6);
    assert_int_equal(totp_decode(a, "MZXW1", &out, &n), -1);
    assert_int_equal(totp_decode(a, "MZ=W", &out, &n), -1);
    /* a new key round-trips */
    unsigned char key[TOTP_SECRET_BYTES];
    totp_secret_new(key);
    assert_int_equal(totp_decode(a, totp_base32(a, key, sizeof key), &out, &n), 0);
    assert_int_equal(n, TOTP_SECRET_BYTES);
    assert_memory_equal(out, key, sizeof key);
    arena_free(a);
}

static void window_and_once(void **state)
{
    (void)state;
    time_t now = 1111111111; /* step 37037037 */
    long long step = now / 30;
    char prev[7], cur[7], next[7], old[7];
    totp_code(rfc_key, RFC_KEY_LEN, step - 1, prev);
    totp_code(rfc_key, RFC_KEY_LEN, step, cur);
    totp_code(rfc_key, RFC_KEY_LEN, step + 1, next);
    totp_code(rfc_key, RFC_KEY_LEN, step - 2, old);
    assert_int_equal(totp_match(rfc_key, RFC_KEY_LEN, cur, now, 0), step);
    assert_int_equal(totp_match(rfc_key, RFC_KEY_LEN, prev, now, 0), step - 1);
    assert_int_equal(totp_match(rfc_key, RFC_KEY_LEN, next, now, 0), step + 1);
    assert_int_equal(totp_match(rfc_key, RFC_KEY_LEN, old, now, 0), 0);
    /* accepted once: a step at or before the last accepted one is spent */
    assert_int_equal(totp_match(rfc_key, RFC_KEY_LEN, cur, now, step), 0);
    assert_int_equal(totp_match(rfc_key, RFC_KEY_LEN, next, now, step), step + 1);
    /* exactly six digits */
    assert_int_equal(totp_match(rfc_key, RFC_KEY_LEN, "28708", now, 0), 0);
    assert_int_equal(totp_match(rfc_key, RFC_KEY_LEN, "2870822", now, 0), 0);
    assert_int_equal(totp_match(rfc_key, RFC_KEY_LEN, "28708a", now, 0), 0);
    assert_int_equal(totp_match(rfc_key, RFC_KEY_LEN, NULL, now, 0), 0);
}

static void otpauth_uri(void **state)
{
    (void)state;
    arena *a = arena_new(0);
    assert_string_equal(totp_uri(a, "Mijn Onderwijsgroep", "jan@example.nl", "MZXW6YTBOI"),
                        "otpauth://totp/Mijn%20Onderwijsgroep:jan%40example.nl?secret=MZXW6YTBOI"
                        "&issuer=Mijn%20Onderwijsgroep&algorithm=SHA1&digits=6&period=30");
    arena_free(a);
}

static void qr_markup(void **state)
{
    (void)state;
    arena *a = arena_new(0);
    char *svg = qr_svg(a, "otpauth://totp/x?secret=MZXW6YTBOI", "QR <code> & \"sleutel\"", 200);
    assert_non_null(svg);
    assert_non_null(strstr(svg, "role=\"img\""));
    assert_non_null(strstr(svg, "aria-label=\"QR &lt;code&gt; &amp; &quot;sleutel&quot;\""));
    assert_non_null(strstr(svg, "width=\"200\""));
    assert_non_null(strstr(svg, "h1v1h-1z"));
    /* the text itself is never in the markup: only modules */
    assert_null(strstr(svg, "MZXW6YTBOI"));
    /* version 1 is 21 modules: the view box has them and the quiet zone */
    char *tiny = qr_svg(a, "x", "x", 100);
    assert_non_null(strstr(tiny, "viewBox=\"0 0 29 29\""));
    arena_free(a);
}

static void typed_codes(void **state)
{
    (void)state;
    char out[32];
    assert_int_equal(sf_normalise(" 123 456 ", out, sizeof out), 0);
    assert_string_equal(out, "123456");
    assert_int_equal(sf_normalise("ABCDE-fghjk", out, sizeof out), 0);
    assert_string_equal(out, "abcdefghjk");
    assert_int_equal(sf_normalise(NULL, out, sizeof out), 0);
    assert_string_equal(out, "");
    assert_int_equal(sf_normalise("0123456789012345678901234567890123", out, sizeof out), -1);
}

static void audit_lines(void **state)
{
    (void)state;
    arena *a = arena_new(0);
    audit_entry e;
    audit_begin(&e, a, 1, "192.0.2.1", "cursus_gewijzigd", "Heftruck");
    audit_field(&e, "naam", "Heftruck", "Heftruck basis");
    audit_field(&e, "prijs", "125,00", "125,00"); /* unchanged: no line */
    audit_field(&e, "omschrijving", "regel 1\nregel\t2", NULL);
    assert_int_equal(e.nchanges, 2);
    audit_change ch[4];
    int n = audit_changes_split(a, e.changes.data, ch, 4);
    assert_int_equal(n, 2);
    assert_string_equal(ch[0].field, "naam");
    assert_string_equal(ch[0].old, "Heftruck");
    assert_string_equal(ch[0].new_value, "Heftruck basis");
    assert_string_equal(ch[1].old, "regel 1 regel 2");
    assert_string_equal(ch[1].new_value, "");
    /* a line without its tabs is skipped; max is kept */
    assert_int_equal(audit_changes_split(a, "kapot\nveld\ta\tb\n", ch, 4), 1);
    assert_int_equal(audit_changes_split(a, "a\t1\t2\nb\t3\t4\n", ch, 1), 1);
    assert_int_equal(audit_changes_split(a, NULL, ch, 4), 0);
    arena_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(rfc6238_vectors), cmocka_unit_test(base32_as_rfc4648),
        cmocka_unit_test(window_and_once), cmocka_unit_test(otpauth_uri),
        cmocka_unit_test(qr_markup),       cmocka_unit_test(typed_codes),
        cmocka_unit_test(audit_lines),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
