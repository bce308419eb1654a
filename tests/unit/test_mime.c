/* test_mime.c - mime_build: headers, CRLF, quoted-printable bodies,
 * RFC 2047 encoded words and refusal of header injection. The checks
 * decode what was built, so they test meaning, not only spelling. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "mail/mail.h"

#define FROM "Onderwijsgroep <info@onderwijsgroepnwh.nl>"
#define MSGID "<0123abcd.1700000000@klantportal>"
#define DATE ((time_t)1700000000) /* Tue, 14 Nov 2023 22:13:20 UTC */

static arena *A;

static int setup(void **state)
{
    (void)state;
    A = arena_new(0);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    arena_free(A);
    return 0;
}

static char *build(const char *name, const char *subject, const char *text, const char *html)
{
    mail_msg m = {.to_address = "jan@example.nl",
                  .to_name = name,
                  .subject = subject,
                  .text = text,
                  .html = html};
    return mime_build(A, FROM, &m, MSGID, DATE);
}

/* ---- decoding helpers ---------------------------------------------------- */

/* The header block, unfolded (CRLF + whitespace removed), one header per
 * line ending in '\n'. */
static char *headers_of(const char *msg)
{
    const char *end = strstr(msg, "\r\n\r\n");
    assert_non_null(end);
    buf b;
    buf_init(&b, A, 256);
    for (const char *p = msg; p < end + 2; p++) {
        if (p[0] == '\r' && p[1] == '\n') {
            if (p[2] == ' ' || p[2] == '\t') {
                p += 1; /* fold: the whitespace stays, the CRLF goes */
                continue;
            }
            buf_putc(&b, '\n');
            p++;
            continue;
        }
        buf_putc(&b, *p);
    }
    return b.data;
}

/* Value of header name (unfolded), or NULL. */
static char *header(const char *msg, const char *name)
{
    char *h = headers_of(msg);
    size_t n = strlen(name);
    for (char *line = h; *line;) {
        char *nl = strchr(line, '\n');
        if (strncmp(line, name, n) == 0 && line[n] == ':') {
            const char *v = line + n + 1;
            while (*v == ' ')
                v++;
            return arena_strndup(A, v, (size_t)(nl - v));
        }
        line = nl + 1;
    }
    return NULL;
}

static int b64val(char c)
{
    const char *tab = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    const char *p = strchr(tab, c);
    return c && p ? (int)(p - tab) : -1;
}

static void b64decode(buf *out, const char *s, size_t n)
{
    uint32_t acc = 0;
    int bits = 0;
    for (size_t i = 0; i < n && s[i] != '='; i++) {
        int v = b64val(s[i]);
        assert_true(v >= 0);
        acc = (acc << 6) | (uint32_t)v;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            buf_putc(out, (char)((acc >> bits) & 0xFF));
        }
    }
}

/* Decodes a header value made of encoded words (and checks each word's
 * size and that each holds whole UTF-8 characters); text outside the
 * words is copied, whitespace between two words dropped. */
static char *decode_words(const char *v)
{
    buf b;
    buf_init(&b, A, 128);
    int prev_word = 0;
    while (*v) {
        if (strncmp(v, "=?UTF-8?B?", 10) == 0) {
            const char *end = strstr(v + 10, "?=");
            assert_non_null(end);
            assert_true(end + 2 - v <= 75);
            size_t before = b.len;
            b64decode(&b, v + 10, (size_t)(end - v - 10));
            /* a word must not end inside a character */
            const unsigned char *w = (const unsigned char *)b.data + before;
            size_t wl = b.len - before;
            assert_true(wl > 0);
            assert_int_not_equal(w[0] & 0xC0, 0x80);
            v = end + 2;
            prev_word = 1;
            continue;
        }
        if (*v == ' ' && prev_word) {
            const char *q = v;
            while (*q == ' ')
                q++;
            if (strncmp(q, "=?", 2) == 0) {
                v = q;
                continue;
            }
        }
        buf_putc(&b, *v++);
        prev_word = 0;
    }
    return b.data;
}

/* Decodes a quoted-printable body and checks its line lengths. */
static char *qp_decode(const char *s, size_t n)
{
    buf b;
    buf_init(&b, A, n + 1);
    size_t col = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\r') {
            assert_int_equal(s[i + 1], '\n');
            assert_true(col <= 76);
            buf_putc(&b, '\n');
            i++;
            col = 0;
            continue;
        }
        col++;
        if (s[i] != '=') {
            buf_putc(&b, s[i]);
            continue;
        }
        if (s[i + 1] == '\r') { /* soft break */
            assert_true(col <= 76);
            i += 2;
            col = 0;
            continue;
        }
        char hex[3] = {s[i + 1], s[i + 2], 0};
        assert_non_null(strchr("0123456789ABCDEF", hex[0]));
        assert_non_null(strchr("0123456789ABCDEF", hex[1]));
        buf_putc(&b, (char)strtol(hex, NULL, 16));
        i += 2;
        col += 2;
    }
    return b.data;
}

/* The encoded body of the part with the given content type ("text/plain"),
 * up to the next boundary line or the end. */
static const char *part_body(const char *msg, const char *type, size_t *len)
{
    char *ct = arena_printf(A, "Content-Type: %s; charset=UTF-8\r\n", type);
    const char *p = strstr(msg, ct);
    assert_non_null(p);
    p = strstr(p, "\r\n\r\n");
    assert_non_null(p);
    p += 4;
    const char *end = strstr(p, "\r\n--=_kp_");
    *len = end ? (size_t)(end - p) + 2 : strlen(p);
    return p;
}

static char *decoded_part(const char *msg, const char *type)
{
    size_t n;
    const char *p = part_body(msg, type, &n);
    return qp_decode(p, n);
}

static void assert_crlf_only(const char *msg)
{
    for (const char *p = msg; *p; p++) {
        if (*p == '\n') assert_true(p > msg && p[-1] == '\r');
        if (*p == '\r') assert_int_equal(p[1], '\n');
        assert_true((unsigned char)*p < 0x80); /* 7-bit throughout */
    }
}

static void assert_lines_at_most(const char *msg, size_t max)
{
    for (const char *p = msg; *p;) {
        const char *e = strstr(p, "\r\n");
        size_t n = e ? (size_t)(e - p) : strlen(p);
        if (n > max) fail_msg("line of %zu > %zu: %.*s", n, max, (int)n, p);
        p += n + (e ? 2 : 0);
    }
}

/* ---- tests ----------------------------------------------------------------- */

static void test_headers_present(void **state)
{
    (void)state;
    char *m = build("Jan Jansen", "Uw inschrijving", "Hallo", "<p>Hallo</p>");
    assert_non_null(m);
    assert_string_equal(header(m, "From"), FROM);
    assert_string_equal(header(m, "To"), "\"Jan Jansen\" <jan@example.nl>");
    assert_string_equal(header(m, "Subject"), "Uw inschrijving");
    assert_string_equal(header(m, "Date"), "Tue, 14 Nov 2023 22:13:20 +0000");
    assert_string_equal(header(m, "Message-ID"), MSGID);
    assert_string_equal(header(m, "MIME-Version"), "1.0");
    assert_non_null(strstr(header(m, "Content-Type"), "multipart/alternative; boundary=\"=_kp_"));
    assert_crlf_only(m);
    assert_lines_at_most(m, 78);
}

static void test_date_epoch_and_bare_message_id(void **state)
{
    (void)state;
    mail_msg msg = {.to_address = "a@b.nl", .to_name = "", .subject = "x", .text = "y"};
    char *m = mime_build(A, "a@b.nl", &msg, "abc@klantportal", 0);
    assert_non_null(m);
    assert_string_equal(header(m, "Date"), "Thu, 01 Jan 1970 00:00:00 +0000");
    assert_string_equal(header(m, "Message-ID"), "<abc@klantportal>");
    assert_string_equal(header(m, "To"), "a@b.nl");
}

static void test_text_only(void **state)
{
    (void)state;
    char *m1 = build("", "Onderwerp", "Alleen tekst\n", NULL);
    char *m2 = build("", "Onderwerp", "Alleen tekst\n", "");
    for (int i = 0; i < 2; i++) {
        char *m = i ? m2 : m1;
        assert_non_null(m);
        assert_null(strstr(m, "multipart"));
        assert_null(strstr(m, "text/html"));
        assert_string_equal(header(m, "Content-Type"), "text/plain; charset=UTF-8");
        assert_string_equal(header(m, "Content-Transfer-Encoding"), "quoted-printable");
        assert_string_equal(decoded_part(m, "text/plain"), "Alleen tekst\n");
        assert_crlf_only(m);
    }
}

static void test_alternative(void **state)
{
    (void)state;
    char *m = build("", "Onderwerp", "Platte tekst", "<p>HTML-tekst</p>");
    assert_non_null(m);
    const char *ct = header(m, "Content-Type");
    const char *bq = strstr(ct, "boundary=\"");
    assert_non_null(bq);
    char *boundary = arena_strndup(A, bq + 10, strcspn(bq + 10, "\""));
    char *delim = arena_printf(A, "\r\n--%s\r\n", boundary);
    char *close = arena_printf(A, "\r\n--%s--\r\n", boundary);
    /* two parts, text first (least preferred first), then the closing line */
    const char *p1 = strstr(m, delim);
    assert_non_null(p1);
    const char *p2 = strstr(p1 + 1, delim);
    assert_non_null(p2);
    assert_non_null(strstr(p2, close));
    assert_true(strstr(m, "text/plain") < strstr(m, "text/html"));
    assert_string_equal(decoded_part(m, "text/plain"), "Platte tekst\n");
    assert_string_equal(decoded_part(m, "text/html"), "<p>HTML-tekst</p>\n");
    assert_crlf_only(m);
}

static void test_boundary_deterministic(void **state)
{
    (void)state;
    mail_msg msg = {.to_address = "a@b.nl", .subject = "x", .text = "y", .html = "<p>y</p>"};
    char *a1 = mime_build(A, "a@b.nl", &msg, "<1@k>", DATE);
    char *a2 = mime_build(A, "a@b.nl", &msg, "<1@k>", DATE);
    char *b1 = mime_build(A, "a@b.nl", &msg, "<2@k>", DATE);
    assert_string_equal(a1, a2);
    assert_string_not_equal(header(a1, "Content-Type"), header(b1, "Content-Type"));
}

static void test_qp_long_line(void **state)
{
    (void)state;
    char text[501];
    for (int i = 0; i < 500; i++)
        text[i] = (char)('a' + i % 26);
    text[500] = '\0';
    char *m = build("", "x", text, NULL);
    assert_non_null(m);
    assert_lines_at_most(m, 76);
    assert_non_null(strstr(m, "=\r\n")); /* soft breaks */
    char *want = arena_printf(A, "%s\n", text);
    assert_string_equal(decoded_part(m, "text/plain"), want);
}

static void test_qp_escapes(void **state)
{
    (void)state;
    const char *text = "prijs = € 10,-\ncafé ä\nspatie aan het eind \ntab\t\n.punt\nlaatste";
    char *m = build("", "x", text, NULL);
    assert_non_null(m);
    assert_non_null(strstr(m, "prijs =3D =E2=82=AC 10,-\r\n"));
    assert_non_null(strstr(m, "caf=C3=A9 =C3=A4\r\n"));
    assert_non_null(strstr(m, "spatie aan het eind=20\r\n"));
    assert_non_null(strstr(m, "tab=09\r\n"));
    assert_non_null(strstr(m, "\r\n=2Epunt\r\n"));
    char *want = arena_printf(A, "%s\n", text);
    assert_string_equal(decoded_part(m, "text/plain"), want);
    assert_crlf_only(m);
}

static void test_qp_line_ends_normalised(void **state)
{
    (void)state;
    char *m = build("", "x", "een\r\ntwee\rdrie\n\nvier\n", NULL);
    assert_non_null(m);
    assert_crlf_only(m);
    assert_string_equal(decoded_part(m, "text/plain"), "een\ntwee\ndrie\n\nvier\n");
}

static void test_qp_long_escaped_line(void **state)
{
    (void)state;
    /* escapes across the soft-break point must not be split */
    buf b;
    buf_init(&b, A, 1024);
    for (int i = 0; i < 100; i++)
        buf_puts(&b, i % 3 ? "é" : "=");
    buf_puts(&b, "     "); /* trailing spaces on a long line */
    char *m = build("", "x", b.data, NULL);
    assert_non_null(m);
    assert_lines_at_most(m, 76);
    char *want = arena_printf(A, "%s\n", b.data);
    assert_string_equal(decoded_part(m, "text/plain"), want);
}

static void test_encoded_subject(void **state)
{
    (void)state;
    const char *subject = "Bevestiging: één plaats bij Ärztekammer";
    char *m = build("", subject, "x", NULL);
    assert_non_null(m);
    const char *raw = header(m, "Subject");
    assert_true(strncmp(raw, "=?UTF-8?B?", 10) == 0);
    assert_string_equal(decode_words(raw), subject);
    assert_crlf_only(m);
}

static void test_long_encoded_subject_split(void **state)
{
    (void)state;
    buf b;
    buf_init(&b, A, 512);
    for (int i = 0; i < 40; i++)
        buf_puts(&b, "äé€ ");
    char *m = build("", b.data, "x", NULL);
    assert_non_null(m);
    assert_lines_at_most(m, 76);
    const char *raw = header(m, "Subject");
    /* several words, each <= 75 and whole characters (decode_words checks) */
    assert_non_null(strstr(raw, "?= =?UTF-8?B?"));
    assert_string_equal(decode_words(raw), b.data);
}

static void test_long_ascii_subject_encoded(void **state)
{
    (void)state;
    buf b;
    buf_init(&b, A, 512);
    for (int i = 0; i < 12; i++)
        buf_puts(&b, "Inschrijving ");
    buf_puts(&b, "klaar");
    char *m = build("", b.data, "x", NULL);
    assert_non_null(m);
    assert_lines_at_most(m, 78);
    assert_string_equal(decode_words(header(m, "Subject")), b.data);
}

static void test_subject_lookalike_word_encoded(void **state)
{
    (void)state;
    /* plain text that looks like an encoded word must not be sent as is */
    char *m = build("", "=?UTF-8?B?SGFjaw==?=", "x", NULL);
    assert_non_null(m);
    assert_string_equal(decode_words(header(m, "Subject")), "=?UTF-8?B?SGFjaw==?=");
}

static void test_encoded_name(void **state)
{
    (void)state;
    char *m = build("Zoë Müller-Lüdenscheidt", "x", "x", NULL);
    assert_non_null(m);
    const char *to = header(m, "To");
    assert_true(strncmp(to, "=?UTF-8?B?", 10) == 0);
    const char *lt = strrchr(to, '<');
    assert_non_null(lt);
    assert_string_equal(lt, "<jan@example.nl>");
    char *words = arena_strndup(A, to, (size_t)(lt - 1 - to));
    assert_string_equal(decode_words(words), "Zoë Müller-Lüdenscheidt");
}

static void test_long_encoded_name_split(void **state)
{
    (void)state;
    buf b;
    buf_init(&b, A, 512);
    for (int i = 0; i < 15; i++)
        buf_puts(&b, "Ängström ");
    buf_puts(&b, "é");
    char *m = build(b.data, "x", "x", NULL);
    assert_non_null(m);
    assert_lines_at_most(m, 76);
    const char *to = header(m, "To");
    const char *lt = strrchr(to, '<');
    assert_non_null(lt);
    char *words = arena_strndup(A, to, (size_t)(lt - 1 - to));
    assert_non_null(strstr(words, "?= =?UTF-8?B?"));
    assert_string_equal(decode_words(words), b.data);
}

static void test_ascii_name_quoted(void **state)
{
    (void)state;
    char *m = build("Jan \"de Baas\" Back\\slash", "x", "x", NULL);
    assert_non_null(m);
    assert_string_equal(header(m, "To"), "\"Jan \\\"de Baas\\\" Back\\\\slash\" <jan@example.nl>");
}

static void test_header_injection_refused(void **state)
{
    (void)state;
    const char *bad[] = {"a\r\nBcc: x@evil.nl", "a\nBcc: x@evil.nl", "a\rb"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_null(build(bad[i], "x", "x", NULL));
        assert_null(build("", bad[i], "x", NULL));
        mail_msg m = {.to_address = bad[i], .to_name = "", .subject = "x", .text = "x"};
        assert_null(mime_build(A, FROM, &m, MSGID, DATE));
        m.to_address = "jan@example.nl";
        assert_null(mime_build(A, bad[i], &m, MSGID, DATE));
        assert_null(mime_build(A, FROM, &m, bad[i], DATE));
    }
    /* line breaks in the body are fine */
    assert_non_null(build("", "x", "a\r\nBcc: b", "<p>\r\n</p>"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_headers_present),
        cmocka_unit_test(test_date_epoch_and_bare_message_id),
        cmocka_unit_test(test_text_only),
        cmocka_unit_test(test_alternative),
        cmocka_unit_test(test_boundary_deterministic),
        cmocka_unit_test(test_qp_long_line),
        cmocka_unit_test(test_qp_escapes),
        cmocka_unit_test(test_qp_line_ends_normalised),
        cmocka_unit_test(test_qp_long_escaped_line),
        cmocka_unit_test(test_encoded_subject),
        cmocka_unit_test(test_long_encoded_subject_split),
        cmocka_unit_test(test_long_ascii_subject_encoded),
        cmocka_unit_test(test_subject_lookalike_word_encoded),
        cmocka_unit_test(test_encoded_name),
        cmocka_unit_test(test_long_encoded_name_split),
        cmocka_unit_test(test_ascii_name_quoted),
        cmocka_unit_test(test_header_injection_refused),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
