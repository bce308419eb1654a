/* test_form.c - percent-decoding, urlencoded bodies, multipart and cookies. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "http/form.h"

static int setup(void **state)
{
    *state = arena_new(0);
    return 0;
}

static int teardown(void **state)
{
    arena_free(*state);
    return 0;
}

/* Copies s without its NUL into an exactly-sized heap buffer, so ASan
 * reports any read past the given length. */
static char *exact(const char *s, size_t n)
{
    char *p = malloc(n ? n : 1);
    assert_non_null(p);
    memcpy(p, s, n);
    return p;
}

static int decode(arena *a, const char *s, int plus, char **out)
{
    size_t n = strlen(s);
    char *in = exact(s, n);
    size_t len = 0;
    int rc = form_url_decode(a, in, n, plus, out, &len);
    if (rc == FORM_OK) assert_int_equal(len, strlen(*out));
    free(in);
    return rc;
}

static int parse_urlenc(arena *a, const char *s, const form_limits *lim, kvlist *out)
{
    size_t n = strlen(s);
    char *in = exact(s, n);
    int rc = form_parse_urlencoded(a, in, n, lim, out);
    free(in);
    return rc;
}

static int parse_mp(arena *a, const char *ct, const char *body, size_t n, const form_limits *lim,
                    kvlist *fields, uploads *files)
{
    char *in = exact(body, n);
    int rc = form_parse_multipart(a, ct, in, n, lim, fields, files);
    free(in);
    return rc;
}

static int parse_mp_str(arena *a, const char *ct, const char *body, kvlist *fields, uploads *files)
{
    return parse_mp(a, ct, body, strlen(body), &form_default_limits, fields, files);
}

/* ---- form_url_decode ---- */

static void test_decode_basic(void **state)
{
    arena *a = *state;
    char *out;
    assert_int_equal(decode(a, "a%20b%2Fc%41%6a", 0, &out), FORM_OK);
    assert_string_equal(out, "a b/cAj");
    assert_int_equal(decode(a, "", 0, &out), FORM_OK);
    assert_string_equal(out, "");
    assert_int_equal(decode(a, "caf%C3%A9", 0, &out), FORM_OK);
    assert_string_equal(out, "caf\xc3\xa9");
}

static void test_decode_plus(void **state)
{
    arena *a = *state;
    char *out;
    assert_int_equal(decode(a, "a+b%2B", 1, &out), FORM_OK);
    assert_string_equal(out, "a b+");
    assert_int_equal(decode(a, "a+b%2B", 0, &out), FORM_OK);
    assert_string_equal(out, "a+b+");
}

static void test_decode_bad_escapes(void **state)
{
    arena *a = *state;
    char *out;
    const char *bad[] = {"%", "%2", "abc%", "abc%4", "%zz", "%g0", "%0g", "%%41", "% 41"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        assert_int_equal(decode(a, bad[i], 1, &out), FORM_MALFORMED);
}

static void test_decode_respects_length(void **state)
{
    arena *a = *state;
    char *out;
    size_t len;
    /* "%41" is cut after "%4" by the length: must not read the '1' */
    char *in = exact("ab%41", 4);
    assert_int_equal(form_url_decode(a, in, 4, 0, &out, &len), FORM_MALFORMED);
    assert_int_equal(form_url_decode(a, in, 2, 0, &out, &len), FORM_OK);
    assert_string_equal(out, "ab");
    free(in);
}

static void test_decode_nul(void **state)
{
    arena *a = *state;
    char *out;
    size_t len;
    assert_int_equal(decode(a, "a%00b", 0, &out), FORM_MALFORMED);
    char raw[3] = {'a', '\0', 'b'};
    assert_int_equal(form_url_decode(a, raw, 3, 0, &out, &len), FORM_MALFORMED);
}

static void test_decode_utf8(void **state)
{
    arena *a = *state;
    char *out;
    const char *good[] = {"%C2%80",    "%DF%BF",       "%E0%A0%80",    "%ED%9F%BF",
                          "%EE%80%80", "%F0%90%80%80", "%F0%9F%98%80", "%F4%8F%BF%BF"};
    for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++)
        assert_int_equal(decode(a, good[i], 0, &out), FORM_OK);
    const char *bad[] = {
        "%C3",          /* truncated */
        "%C3%28",       /* bad continuation */
        "%80",          /* lone continuation */
        "%C0%AF",       /* overlong '/' */
        "%C1%BF",       /* overlong */
        "%E0%80%AF",    /* overlong 3-byte */
        "%F0%80%80%AF", /* overlong 4-byte */
        "%ED%A0%80",    /* surrogate U+D800 */
        "%ED%BF%BF",    /* surrogate U+DFFF */
        "%F4%90%80%80", /* above U+10FFFF */
        "%F5%80%80%80", "%FE", "%FF", "%E2%82",
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        assert_int_equal(decode(a, bad[i], 0, &out), FORM_MALFORMED);
    /* raw invalid bytes are rejected as well, not only escaped ones */
    assert_int_equal(decode(a, "\xc0\xaf", 0, &out), FORM_MALFORMED);
}

/* ---- urlencoded ---- */

static void test_urlencoded_basic(void **state)
{
    arena *a = *state;
    kvlist l = {0};
    assert_int_equal(
        parse_urlenc(a, "a=1&naam=Jan+de+Vries&c=%26%3D&d&e=", &form_default_limits, &l), FORM_OK);
    assert_int_equal(l.n, 5);
    assert_string_equal(kv_get(&l, "a"), "1");
    assert_string_equal(kv_get(&l, "naam"), "Jan de Vries");
    assert_string_equal(kv_get(&l, "c"), "&=");
    assert_string_equal(kv_get(&l, "d"), "");
    assert_string_equal(kv_get(&l, "e"), "");
    assert_int_equal(l.v[1].len, 12);
}

static void test_urlencoded_empty_pairs(void **state)
{
    arena *a = *state;
    kvlist l = {0};
    assert_int_equal(parse_urlenc(a, "&&a=1&&=x&", &form_default_limits, &l), FORM_OK);
    assert_int_equal(l.n, 1);
    assert_string_equal(l.v[0].name, "a");
    kvlist e = {0};
    assert_int_equal(parse_urlenc(a, "", &form_default_limits, &e), FORM_OK);
    assert_int_equal(e.n, 0);
}

static void test_urlencoded_duplicates_in_order(void **state)
{
    arena *a = *state;
    kvlist l = {0};
    assert_int_equal(parse_urlenc(a, "x=1&x=2&y=a=b", &form_default_limits, &l), FORM_OK);
    assert_int_equal(l.n, 3);
    assert_string_equal(l.v[0].value, "1");
    assert_string_equal(l.v[1].value, "2");
    assert_string_equal(kv_get(&l, "y"), "a=b");
}

static void test_urlencoded_malformed(void **state)
{
    arena *a = *state;
    const char *bad[] = {"a=%zz", "a=%00", "a%=1", "a=%C0%AF", "ok=1&b=%E2%82"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        kvlist l = {0};
        assert_int_equal(parse_urlenc(a, bad[i], &form_default_limits, &l), FORM_MALFORMED);
    }
}

static void test_urlencoded_too_many(void **state)
{
    arena *a = *state;
    form_limits lim = {3, 64, 100, 100};
    kvlist l = {0};
    assert_int_equal(parse_urlenc(a, "a=1&b=2&c=3", &lim, &l), FORM_OK);
    assert_int_equal(l.n, 3);
    kvlist m = {0};
    assert_int_equal(parse_urlenc(a, "a=1&b=2&c=3&d=4", &lim, &m), FORM_TOO_MANY);
    /* empty pairs do not count */
    kvlist n = {0};
    assert_int_equal(parse_urlenc(a, "a=1&&b=2&&&c=3&", &lim, &n), FORM_OK);
}

static void test_urlencoded_too_long(void **state)
{
    arena *a = *state;
    form_limits lim = {64, 4, 5, 100};
    kvlist l = {0};
    assert_int_equal(parse_urlenc(a, "abcd=12345", &lim, &l), FORM_OK);
    /* limits apply to the decoded length */
    assert_int_equal(parse_urlenc(a, "%61%62%63%64=%31%32%33%34%35", &lim, &l), FORM_OK);
    assert_int_equal(parse_urlenc(a, "abcde=1", &lim, &l), FORM_TOO_LONG);
    assert_int_equal(parse_urlenc(a, "a=123456", &lim, &l), FORM_TOO_LONG);
    assert_int_equal(parse_urlenc(a, "a=++++++", &lim, &l), FORM_TOO_LONG);
}

static void test_urlencoded_respects_length(void **state)
{
    arena *a = *state;
    kvlist l = {0};
    const char *s = "a=1&b=2";
    char *in = exact(s, 5); /* "a=1&b" */
    assert_int_equal(form_parse_urlencoded(a, in, 5, &form_default_limits, &l), FORM_OK);
    free(in);
    assert_int_equal(l.n, 2);
    assert_string_equal(kv_get(&l, "b"), "");
}

/* ---- multipart ---- */

#define CRLF "\r\n"

static void test_multipart_fields_and_file(void **state)
{
    arena *a = *state;
    const char *ct = "multipart/form-data; boundary=\"----WebKit Form;x\"";
    static const char body[] =
        "preamble to ignore" CRLF "------WebKit Form;x" CRLF
        "Content-Disposition: form-data; name=\"naam\"" CRLF CRLF "Jan de Vries" CRLF
        "------WebKit Form;x" CRLF "content-disposition: form-data; name=\"opmerking\"" CRLF CRLF
        "regel 1" CRLF "regel 2" CRLF "------WebKit Form;x" CRLF
        "Content-Disposition: form-data; name=\"cv\"; filename=\"C:\\Users\\jan\\cv.pdf\"" CRLF
        "Content-Type: application/pdf" CRLF CRLF "%PDF\0\x01\xff" CRLF "------WebKit Form;x" CRLF
        "Content-Disposition: form-data; name=\"foto\"; filename=\"/home/jan/foto.jpg\"" CRLF CRLF
        "JPEG" CRLF "------WebKit Form;x--" CRLF "epilogue";
    kvlist fields = {0};
    uploads files = {0};
    assert_int_equal(parse_mp(a, ct, body, sizeof(body) - 1, &form_default_limits, &fields, &files),
                     FORM_OK);
    assert_int_equal(fields.n, 2);
    assert_string_equal(kv_get(&fields, "naam"), "Jan de Vries");
    assert_string_equal(kv_get(&fields, "opmerking"), "regel 1\r\nregel 2");
    assert_int_equal(files.n, 2);
    assert_string_equal(files.v[0].field, "cv");
    assert_string_equal(files.v[0].filename, "cv.pdf");
    assert_string_equal(files.v[0].content_type, "application/pdf");
    assert_int_equal(files.v[0].len, 7);
    assert_memory_equal(files.v[0].data, "%PDF\0\x01\xff", 7);
    assert_string_equal(files.v[1].filename, "foto.jpg");
    assert_string_equal(files.v[1].content_type, "application/octet-stream");
    assert_int_equal(files.v[1].len, 4);
}

static void test_multipart_unquoted_boundary(void **state)
{
    arena *a = *state;
    kvlist fields = {0};
    uploads files = {0};
    const char *body = "--XyZ" CRLF "Content-Disposition: form-data; name=a" CRLF CRLF "1" CRLF
                       "--XyZ  " CRLF /* transport padding */
                       "Content-Disposition: form-data; name=\"b\"" CRLF CRLF CRLF "--XyZ--";
    assert_int_equal(
        parse_mp_str(a, "Multipart/Form-Data;charset=utf-8; BOUNDARY=XyZ", body, &fields, &files),
        FORM_OK);
    assert_int_equal(fields.n, 2);
    assert_string_equal(kv_get(&fields, "a"), "1");
    assert_string_equal(kv_get(&fields, "b"), "");
    assert_int_equal(files.n, 0);
}

static void test_multipart_empty_file_input_skipped(void **state)
{
    arena *a = *state;
    kvlist fields = {0};
    uploads files = {0};
    const char *body = "--b" CRLF "Content-Disposition: form-data; name=\"cv\"; filename=\"\"" CRLF
                       "Content-Type: application/octet-stream" CRLF CRLF CRLF "--b--" CRLF;
    assert_int_equal(parse_mp_str(a, "multipart/form-data; boundary=b", body, &fields, &files),
                     FORM_OK);
    assert_int_equal(files.n, 0);
    assert_int_equal(fields.n, 0);
}

static void test_multipart_no_parts(void **state)
{
    arena *a = *state;
    kvlist fields = {0};
    uploads files = {0};
    assert_int_equal(parse_mp_str(a, "multipart/form-data; boundary=b", "--b--", &fields, &files),
                     FORM_OK);
    assert_int_equal(fields.n + files.n, 0);
}

static void test_multipart_broken(void **state)
{
    arena *a = *state;
    const char *ct = "multipart/form-data; boundary=b";
    const char *bad[] = {
        "",
        "no boundary anywhere",
        "--b" CRLF, /* ends after the delimiter */
        /* missing closing boundary */
        "--b" CRLF "Content-Disposition: form-data; name=\"a\"" CRLF CRLF "1",
        "--b" CRLF "Content-Disposition: form-data; name=\"a\"" CRLF CRLF "1" CRLF "--b",
        /* missing name, empty name, no disposition, wrong disposition */
        "--b" CRLF "Content-Disposition: form-data" CRLF CRLF "1" CRLF "--b--",
        "--b" CRLF "Content-Disposition: form-data; name=\"\"" CRLF CRLF "1" CRLF "--b--",
        "--b" CRLF "Content-Type: text/plain" CRLF CRLF "1" CRLF "--b--",
        "--b" CRLF CRLF "1" CRLF "--b--",
        "--b" CRLF "Content-Disposition: attachment; name=\"a\"" CRLF CRLF "1" CRLF "--b--",
        /* unterminated quote, header without colon, headers never end */
        "--b" CRLF "Content-Disposition: form-data; name=\"a" CRLF CRLF "1" CRLF "--b--",
        "--b" CRLF "Content-Disposition form-data; name=a" CRLF CRLF "1" CRLF "--b--",
        "--b" CRLF "Content-Disposition: form-data; name=a" CRLF "1" CRLF "--b--",
        /* garbage after a delimiter */
        "--bx" CRLF "Content-Disposition: form-data; name=a" CRLF CRLF "1" CRLF "--b--",
        "--b" CRLF "Content-Disposition: form-data; name=a" CRLF CRLF "1" CRLF "--b!" CRLF,
        /* text value with invalid UTF-8 or NUL */
        "--b" CRLF "Content-Disposition: form-data; name=a" CRLF CRLF "\xc0\xaf" CRLF "--b--",
        /* bad UTF-8 in name and filename */
        "--b" CRLF "Content-Disposition: form-data; name=\"\xff\"" CRLF CRLF "1" CRLF "--b--",
        "--b" CRLF "Content-Disposition: form-data; name=f; filename=\"\xed\xa0\x80\"" CRLF CRLF
        "1" CRLF "--b--",
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        kvlist fields = {0};
        uploads files = {0};
        assert_int_equal(parse_mp_str(a, ct, bad[i], &fields, &files), FORM_MALFORMED);
    }
    kvlist fields = {0};
    uploads files = {0};
    static const char nul_body[] =
        "--b" CRLF "Content-Disposition: form-data; name=a" CRLF CRLF "x\0y" CRLF "--b--";
    assert_int_equal(
        parse_mp(a, ct, nul_body, sizeof(nul_body) - 1, &form_default_limits, &fields, &files),
        FORM_MALFORMED);
}

static void test_multipart_bad_content_type(void **state)
{
    arena *a = *state;
    const char *body =
        "--b" CRLF "Content-Disposition: form-data; name=a" CRLF CRLF "1" CRLF "--b--";
    const char *bad[] = {
        "multipart/form-data",
        "multipart/form-data; boundary=",
        "multipart/form-data; boundary=\"\"",
        "multipart/mixed; boundary=b",
        "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=\"b",
        /* 71 characters, one over the RFC 2046 maximum */
        ("multipart/form-data; boundary="
         "12345678901234567890123456789012345678901234567890123456789012345678901"),
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        kvlist fields = {0};
        uploads files = {0};
        assert_int_equal(parse_mp_str(a, bad[i], body, &fields, &files), FORM_MALFORMED);
    }
    kvlist fields = {0};
    uploads files = {0};
    assert_int_equal(parse_mp_str(a, NULL, body, &fields, &files), FORM_MALFORMED);
}

static void test_multipart_limits(void **state)
{
    arena *a = *state;
    const char *ct = "multipart/form-data; boundary=b";
    form_limits lim = {2, 4, 5, 6};
    kvlist fields = {0};
    uploads files = {0};
    const char *ok =
        "--b" CRLF "Content-Disposition: form-data; name=abcd" CRLF CRLF "12345" CRLF "--b" CRLF
        "Content-Disposition: form-data; name=f; filename=x" CRLF CRLF "123456" CRLF "--b--";
    assert_int_equal(parse_mp(a, ct, ok, strlen(ok), &lim, &fields, &files), FORM_OK);
    assert_int_equal(fields.n, 1);
    assert_int_equal(files.n, 1);

    const char *too_many =
        "--b" CRLF "Content-Disposition: form-data; name=a" CRLF CRLF CRLF "--b" CRLF
        "Content-Disposition: form-data; name=b" CRLF CRLF CRLF "--b" CRLF
        "Content-Disposition: form-data; name=c" CRLF CRLF CRLF "--b--";
    const char *long_name =
        "--b" CRLF "Content-Disposition: form-data; name=abcde" CRLF CRLF "1" CRLF "--b--";
    const char *long_value =
        "--b" CRLF "Content-Disposition: form-data; name=a" CRLF CRLF "123456" CRLF "--b--";
    const char *big_file = "--b" CRLF "Content-Disposition: form-data; name=f; filename=x" CRLF CRLF
                           "1234567" CRLF "--b--";
    const char *cases[] = {too_many, long_name, long_value, big_file};
    const int want[] = {FORM_TOO_MANY, FORM_TOO_LONG, FORM_TOO_LONG, FORM_TOO_LONG};
    for (size_t i = 0; i < 4; i++) {
        kvlist f = {0};
        uploads u = {0};
        assert_int_equal(parse_mp(a, ct, cases[i], strlen(cases[i]), &lim, &f, &u), want[i]);
    }
}

static void test_multipart_header_limit(void **state)
{
    arena *a = *state;
    const char *ct = "multipart/form-data; boundary=b";
    size_t pad = 5000;
    const char *head = "--b" CRLF "Content-Disposition: form-data; name=a" CRLF "X-Pad: ";
    const char *tail = CRLF CRLF "1" CRLF "--b--";
    size_t n = strlen(head) + pad + strlen(tail);
    char *body = malloc(n);
    assert_non_null(body);
    memcpy(body, head, strlen(head));
    memset(body + strlen(head), 'x', pad);
    memcpy(body + strlen(head) + pad, tail, strlen(tail));
    kvlist fields = {0};
    uploads files = {0};
    assert_int_equal(parse_mp(a, ct, body, n, &form_default_limits, &fields, &files),
                     FORM_TOO_LONG);
    free(body);
}

/* ---- cookies ---- */

static void test_cookies_basic(void **state)
{
    arena *a = *state;
    kvlist l = {0};
    assert_int_equal(form_parse_cookies(a, "a=1; b=2;c=3", &form_default_limits, &l), FORM_OK);
    assert_int_equal(l.n, 3);
    assert_string_equal(kv_get(&l, "a"), "1");
    assert_string_equal(kv_get(&l, "b"), "2");
    assert_string_equal(kv_get(&l, "c"), "3");
}

static void test_cookies_quoted_and_raw(void **state)
{
    arena *a = *state;
    kvlist l = {0};
    assert_int_equal(
        form_parse_cookies(a, "s=\"abc=\"; e=\"\"; p=%41+b; x=a=b", &form_default_limits, &l),
        FORM_OK);
    assert_string_equal(kv_get(&l, "s"), "abc=");
    assert_string_equal(kv_get(&l, "e"), "");
    assert_string_equal(kv_get(&l, "p"), "%41+b"); /* not percent-decoded */
    assert_string_equal(kv_get(&l, "x"), "a=b");
    assert_int_equal(l.v[0].len, 4);
}

static void test_cookies_garbage_skipped(void **state)
{
    arena *a = *state;
    kvlist l = {0};
    const char *h = ";;  ; =x; noeq; a b=1; q=\"x; v=a b; w=\"a\"b\"; c=1,2; "
                    "n\x01=1; u=\xc3\xa9; ok=yes ;last=\t2\t";
    assert_int_equal(form_parse_cookies(a, h, &form_default_limits, &l), FORM_OK);
    assert_int_equal(l.n, 2);
    assert_string_equal(kv_get(&l, "ok"), "yes");
    assert_string_equal(kv_get(&l, "last"), "2");
    kvlist e = {0};
    assert_int_equal(form_parse_cookies(a, "", &form_default_limits, &e), FORM_OK);
    assert_int_equal(form_parse_cookies(a, NULL, &form_default_limits, &e), FORM_OK);
    assert_int_equal(e.n, 0);
}

static void test_cookies_limits(void **state)
{
    arena *a = *state;
    form_limits lim = {2, 4, 3, 0};
    kvlist l = {0};
    assert_int_equal(form_parse_cookies(a, "a=1; toolong=1; b=1234; c=2", &lim, &l), FORM_OK);
    assert_int_equal(l.n, 2);
    assert_string_equal(l.v[0].name, "a");
    assert_string_equal(l.v[1].name, "c");
    kvlist m = {0};
    assert_int_equal(form_parse_cookies(a, "a=1; b=2; c=3", &lim, &m), FORM_TOO_MANY);
    assert_int_equal(m.n, 2); /* the first ones are kept */
}

static void test_default_limits(void **state)
{
    (void)state;
    assert_int_equal(form_default_limits.max_fields, 64);
    assert_int_equal(form_default_limits.max_name, 64);
    assert_int_equal(form_default_limits.max_value, 8192);
    assert_int_equal(form_default_limits.max_file, 5 * 1024 * 1024);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_decode_basic),
        T(test_decode_plus),
        T(test_decode_bad_escapes),
        T(test_decode_respects_length),
        T(test_decode_nul),
        T(test_decode_utf8),
        T(test_urlencoded_basic),
        T(test_urlencoded_empty_pairs),
        T(test_urlencoded_duplicates_in_order),
        T(test_urlencoded_malformed),
        T(test_urlencoded_too_many),
        T(test_urlencoded_too_long),
        T(test_urlencoded_respects_length),
        T(test_multipart_fields_and_file),
        T(test_multipart_unquoted_boundary),
        T(test_multipart_empty_file_input_skipped),
        T(test_multipart_no_parts),
        T(test_multipart_broken),
        T(test_multipart_bad_content_type),
        T(test_multipart_limits),
        T(test_multipart_header_limit),
        T(test_cookies_basic),
        T(test_cookies_quoted_and_raw),
        T(test_cookies_garbage_skipped),
        T(test_cookies_limits),
        T(test_default_limits),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
