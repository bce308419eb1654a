/* test_mail_attach.c - files sent with a mail: the MIME that mime_build
 * makes of them (decoded again, so the tests check meaning: the bytes, the
 * filename a reader shows), what mail_attach refuses, the sender
 * delivering them from the outbox, and the housekeeping deleting them with
 * their mail. On a temporary SQLite database migrated with the real
 * migrations (run from the repository root), and again on PostgreSQL when
 * KP_TEST_PG_URL is set. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "core/buf.h"
#include "housekeeping.h"
#include "mail/mail.h"

#include "migrated_db.h"

#define FROM "Onderwijsgroep <info@onderwijsgroepnwh.nl>"
#define MSGID "<0123abcd.1700000000@klantportal>"
#define DATE ((time_t)1700000000)

static const char ICS[] = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n";
/* a PDF-like file: NUL bytes and high bytes must come back unchanged */
static const char PDF[] = {'%', 'P', 'D', 'F', 0, (char)0xff, (char)0x80, '\r', '\n', 0, 'x'};

/* ---- decoding helpers ---------------------------------------------------- */

static int b64val(char c)
{
    const char *tab = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    const char *p = c ? strchr(tab, c) : NULL;
    return p ? (int)(p - tab) : -1;
}

/* Decodes base64 lines (CRLF between them) into out. */
static void b64decode(buf *out, const char *s, size_t n)
{
    uint32_t acc = 0;
    int bits = 0;
    for (size_t i = 0; i < n && s[i] != '='; i++) {
        if (s[i] == '\r' || s[i] == '\n') continue;
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

/* The headers of a part (from its start to the blank line), unfolded. */
static char *unfold(arena *a, const char *start, const char *end)
{
    buf b;
    buf_init(&b, a, 256);
    for (const char *p = start; p < end; p++) {
        if (p[0] == '\r' && p[1] == '\n' && (p[2] == ' ' || p[2] == '\t')) {
            p += 1;
            continue;
        }
        buf_putc(&b, *p);
    }
    return b.data;
}

/* The value of a parameter (name=) in unfolded header text, quotes off. */
static char *param(arena *a, const char *h, const char *name)
{
    const char *p = strstr(h, arena_printf(a, " %s=", name));
    if (!p) return NULL;
    p += strlen(name) + 2;
    if (*p == '"') {
        const char *q = strchr(p + 1, '"');
        return arena_strndup(a, p + 1, (size_t)(q - p - 1));
    }
    return arena_strndup(a, p, strcspn(p, ";\r\n"));
}

static int hexval(char c)
{
    return c >= '0' && c <= '9' ? c - '0' : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/* RFC 2231: filename* or filename*0*, filename*1* … put together and
 * percent-decoded; NULL when absent. */
static char *extended(arena *a, const char *h)
{
    buf enc;
    buf_init(&enc, a, 256);
    char *one = param(a, h, "filename*");
    if (one) {
        buf_puts(&enc, one);
    } else {
        for (int i = 0;; i++) {
            char *piece = param(a, h, arena_printf(a, "filename*%d*", i));
            if (!piece) break;
            buf_puts(&enc, piece);
        }
        if (enc.len == 0) return NULL;
    }
    assert_memory_equal(enc.data, "UTF-8''", 7);
    buf out;
    buf_init(&out, a, 256);
    for (const char *p = enc.data + 7; *p; p++) {
        if (*p == '%') {
            assert_true(hexval(p[1]) >= 0 && hexval(p[2]) >= 0);
            buf_putc(&out, (char)(hexval(p[1]) * 16 + hexval(p[2])));
            p += 2;
        } else {
            buf_putc(&out, *p);
        }
    }
    return out.data;
}

typedef struct part {
    char *headers; /* unfolded */
    buf body;
} part;

/* The parts of the multipart/mixed message msg (at most max), bodies of
 * base64 parts decoded. Returns their number. */
static int parts_of(arena *a, const char *msg, part *out, int max)
{
    char *top = unfold(a, msg, strstr(msg, "\r\n\r\n"));
    assert_non_null(strstr(top, "Content-Type: multipart/mixed;"));
    const char *boundary = param(a, top, "boundary");
    assert_non_null(boundary);
    const char *delim = arena_printf(a, "\r\n--%s", boundary);
    int n = 0;
    const char *p = strstr(msg, delim);
    while (p && n < max) {
        p += strlen(delim);
        if (p[0] == '-' && p[1] == '-') break; /* the closing delimiter */
        assert_memory_equal(p, "\r\n", 2);
        p += 2;
        const char *blank = strstr(p, "\r\n\r\n");
        const char *next = strstr(p, delim);
        assert_non_null(next);
        out[n].headers = unfold(a, p, blank + 2);
        buf_init(&out[n].body, a, 256);
        if (strstr(out[n].headers, "Content-Transfer-Encoding: base64"))
            b64decode(&out[n].body, blank + 4, (size_t)(next - blank - 4));
        else
            buf_add(&out[n].body, blank + 4, (size_t)(next - blank - 4));
        n++;
        p = next;
    }
    return n;
}

/* Every line of the message at most 78 characters and 7-bit. */
static void assert_short_ascii_lines(const char *msg)
{
    for (const char *line = msg; *line;) {
        const char *end = strstr(line, "\r\n");
        assert_non_null(end);
        if (end - line > 78) print_error("long line: %.*s\n", (int)(end - line), line);
        assert_true(end - line <= 78);
        for (const char *p = line; p < end; p++)
            assert_true((unsigned char)*p < 0x80 && *p != '\r' && *p != '\n');
        line = end + 2;
    }
}

static char *build(arena *a, const mail_attachment *files, int n)
{
    mail_msg m = {.to_address = "jan@example.nl",
                  .to_name = "Jan de Vries",
                  .subject = "Uitnodiging",
                  .text = "Beste Jan,\nzie de bijlage.",
                  .html = "<p>Beste Jan, zie de bijlage.</p>",
                  .attachments = files,
                  .nattachments = n};
    return mime_build(a, FROM, &m, MSGID, DATE);
}

/* ---- MIME ----------------------------------------------------------------- */

static void test_mime_mixed_with_files(void **state)
{
    env *e = *state;
    mail_attachment files[] = {
        {"uitnodiging.ics", "text/calendar; charset=utf-8", ICS, sizeof ICS - 1},
        {"factuur.pdf", "application/pdf", PDF, sizeof PDF},
    };
    char *msg = build(e->a, files, 2);
    assert_non_null(msg);
    assert_short_ascii_lines(msg);
    part p[4];
    assert_int_equal(parts_of(e->a, msg, p, 4), 3);
    /* the text and HTML stay alternatives of each other, first */
    assert_non_null(strstr(p[0].headers, "Content-Type: multipart/alternative;"));
    assert_non_null(strstr(p[0].body.data, "text/plain"));
    assert_non_null(strstr(p[0].body.data, "<p>Beste Jan, zie de bijlage.</p>"));
    /* then the files, byte for byte */
    assert_non_null(strstr(p[1].headers, "Content-Type: text/calendar; charset=utf-8; name="));
    assert_non_null(strstr(p[1].headers, "Content-Disposition: attachment;"));
    assert_string_equal(param(e->a, p[1].headers, "filename"), "uitnodiging.ics");
    assert_null(extended(e->a, p[1].headers));
    assert_int_equal(p[1].body.len, sizeof ICS - 1);
    assert_memory_equal(p[1].body.data, ICS, sizeof ICS - 1);
    assert_non_null(strstr(p[2].headers, "Content-Type: application/pdf;"));
    assert_int_equal(p[2].body.len, sizeof PDF);
    assert_memory_equal(p[2].body.data, PDF, sizeof PDF);
    /* the boundaries are not prefixes of one another */
    char *top = unfold(e->a, msg, strstr(msg, "\r\n\r\n"));
    const char *outer = param(e->a, top, "boundary");
    const char *inner = param(e->a, p[0].headers, "boundary");
    assert_string_not_equal(outer, inner);
    assert_true(strncmp(outer, inner, strlen(inner)) != 0);
    assert_true(strncmp(inner, outer, strlen(outer)) != 0);
}

static void test_mime_text_only_with_file(void **state)
{
    env *e = *state;
    mail_attachment f = {"a.ics", "text/calendar", ICS, sizeof ICS - 1};
    mail_msg m = {.to_address = "jan@example.nl",
                  .subject = "Uitnodiging",
                  .text = "Beste Jan,",
                  .attachments = &f,
                  .nattachments = 1};
    char *msg = mime_build(e->a, FROM, &m, MSGID, DATE);
    part p[3];
    assert_int_equal(parts_of(e->a, msg, p, 3), 2);
    assert_non_null(strstr(p[0].headers, "Content-Type: text/plain; charset=UTF-8"));
    assert_non_null(strstr(p[0].body.data, "Beste Jan,"));
    /* without files: no multipart/mixed, as before */
    m.nattachments = 0;
    m.attachments = NULL;
    assert_null(strstr(mime_build(e->a, FROM, &m, MSGID, DATE), "multipart/mixed"));
}

static void test_mime_filename_encoding(void **state)
{
    env *e = *state;
    const char *names[] = {
        "Uitnodiging Łódź – Coördinator.ics",
        /* long: the encoded name is continued over numbered pieces */
        "Factuur F2026-0001 Gemeente Heerhugowaard – Jan de Vries – Łucja Coördinator "
        "Łódź – cursus Medical Care (STCW).pdf",
        "rapport \"definitief\" versie 2.pdf",
        "€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€.txt",
    };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        mail_attachment f = {names[i], "application/octet-stream", PDF, sizeof PDF};
        char *msg = build(e->a, &f, 1);
        assert_non_null(msg);
        assert_short_ascii_lines(msg);
        part p[3];
        assert_int_equal(parts_of(e->a, msg, p, 3), 2);
        assert_string_equal(extended(e->a, p[1].headers), names[i]);
        /* the fallback is plain ASCII without quotes inside */
        const char *fallback = param(e->a, p[1].headers, "filename");
        assert_non_null(fallback);
        for (const char *c = fallback; *c; c++)
            assert_true(*c >= 0x20 && *c < 0x7f && *c != '"' && *c != '\\');
    }
    mail_attachment f = {"Łódź.ics", "text/calendar", ICS, sizeof ICS - 1};
    part p[3];
    parts_of(e->a, build(e->a, &f, 1), p, 3);
    assert_string_equal(param(e->a, p[1].headers, "filename"), "__d_.ics");
}

static void test_attachment_checks(void **state)
{
    env *e = *state;
    (void)e;
    const mail_attachment ok = {"a.pdf", "application/pdf", PDF, sizeof PDF};
    assert_null(mail_attachment_check(&ok));
    const mail_attachment bad[] = {
        {"", "application/pdf", PDF, sizeof PDF},
        {"../a.pdf", "application/pdf", PDF, sizeof PDF},
        {"map\\a.pdf", "application/pdf", PDF, sizeof PDF},
        {".verborgen", "application/pdf", PDF, sizeof PDF},
        {"a\r\nBcc: x@example.nl", "application/pdf", PDF, sizeof PDF},
        {"a\xff.pdf", "application/pdf", PDF, sizeof PDF},
        {NULL, "application/pdf", PDF, sizeof PDF},
        {"a.pdf", "pdf", PDF, sizeof PDF},
        {"a.pdf", "application/pdf\r\nBcc: x@example.nl", PDF, sizeof PDF},
        {"a.pdf", "text/plain; name=\"x\"", PDF, sizeof PDF},
        {"a.pdf", "application/pdf", PDF, 0},
        {"a.pdf", "application/pdf", NULL, 3},
        {"a.pdf", "application/pdf", PDF, MAIL_ATTACHMENT_MAX + 1},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_non_null(mail_attachment_check(&bad[i]));
        assert_null(build(e->a, &bad[i], 1));
    }
    char *long_name = arena_zalloc(e->a, 202);
    memset(long_name, 'a', 201);
    const mail_attachment too_long = {long_name, "text/plain", PDF, sizeof PDF};
    assert_non_null(mail_attachment_check(&too_long));
}

/* ---- the outbox ----------------------------------------------------------- */

static config cfg_of(env *e)
{
    config cfg = {0};
    cfg.mail_dir = arena_printf(e->a, "%s/mail", e->dir);
    cfg.mail_from = FROM;
    cfg.base_url = "http://localhost";
    cfg.mail_retention_days = 30;
    return cfg;
}

static long long enqueue(env *e, const mail_attachment *files, int n)
{
    mail_msg m = {.to_address = "jan@example.nl",
                  .to_name = "Jan de Vries",
                  .subject = "Uitnodiging",
                  .text = "Beste Jan,",
                  .attachments = files,
                  .nattachments = n};
    db_conn *c = db_acquire(e->d);
    long long id = mail_enqueue(c, e->a, &m);
    db_release(e->d, c);
    return id;
}

static char *slurp(env *e, const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    char *data = arena_zalloc(e->a, 1 << 16);
    size_t n = fread(data, 1, (1 << 16) - 1, f);
    data[n] = '\0';
    fclose(f);
    return data;
}

static void test_delivered_with_files(void **state)
{
    env *e = *state;
    config cfg = cfg_of(e);
    mail_attachment files[] = {
        {"Uitnodiging Coördinator.ics", "text/calendar; charset=utf-8", ICS, sizeof ICS - 1},
        {"factuur.pdf", "application/pdf", PDF, sizeof PDF},
    };
    long long id = enqueue(e, files, 2);
    assert_true(id > 0);
    /* a mail without files is delivered as before, next to it */
    long long plain = enqueue(e, NULL, 0);
    assert_true(plain > id);
    assert_int_equal(scalar(e, "SELECT count(*) FROM outbox_attachments"), 2);
    assert_int_equal(mail_deliver_due(e->d, &cfg), 2);

    char *msg = slurp(e, arena_printf(e->a, "%s/%lld.eml", cfg.mail_dir, id));
    assert_non_null(msg);
    part p[4];
    assert_int_equal(parts_of(e->a, msg, p, 4), 3);
    assert_string_equal(extended(e->a, p[1].headers), "Uitnodiging Coördinator.ics");
    assert_memory_equal(p[1].body.data, ICS, sizeof ICS - 1);
    assert_int_equal(p[2].body.len, sizeof PDF);
    assert_memory_equal(p[2].body.data, PDF, sizeof PDF);
    char *other = slurp(e, arena_printf(e->a, "%s/%lld.eml", cfg.mail_dir, plain));
    assert_null(strstr(other, "multipart/mixed"));
}

static void test_attach_refusals_store_nothing(void **state)
{
    env *e = *state;
    mail_attachment bad = {"a/b.pdf", "application/pdf", PDF, sizeof PDF};
    assert_int_equal(enqueue(e, &bad, 1), -1);
    long long id = enqueue(e, NULL, 0);
    db_conn *c = db_acquire(e->d);
    mail_attachment f = {"a.pdf", "application/pdf", PDF, sizeof PDF};
    for (int i = 0; i < MAIL_ATTACHMENTS_MAX; i++)
        assert_int_equal(mail_attach(c, e->a, id, &f), 0);
    assert_int_equal(mail_attach(c, e->a, id, &f), -1); /* one too many */
    assert_int_equal(mail_attach(c, e->a, id, &bad), -1);
    assert_int_equal(mail_attach(c, e->a, 0, &f), -1);
    db_release(e->d, c);
    assert_int_equal(scalar(e, "SELECT count(*) FROM outbox_attachments"), MAIL_ATTACHMENTS_MAX);
}

static void test_housekeeping_deletes_files_with_their_mail(void **state)
{
    env *e = *state;
    config cfg = cfg_of(e);
    mail_attachment f = {"a.pdf", "application/pdf", PDF, sizeof PDF};
    long long old = enqueue(e, &f, 1);
    assert_int_equal(mail_deliver_due(e->d, &cfg), 1);
    long long fresh = enqueue(e, &f, 1);
    assert_true(fresh > old);
    /* the first was sent 31 days ago, the second waits to be sent */
    db_conn *c = db_acquire(e->d);
    assert_int_equal(db_q(c, e->a, NULL,
                          "UPDATE outbox SET sent_at = sent_at - 31 * 86400 "
                          "WHERE id = $1",
                          arena_printf(e->a, "%lld", old)),
                     1);
    housekeeping_counts n;
    assert_int_equal(housekeeping_sweep(c, e->a, &cfg, &n), 0);
    db_release(e->d, c);
    assert_int_equal(n.mail, 1);
    assert_int_equal(scalar(e, "SELECT count(*) FROM outbox_attachments"), 1);
    assert_int_equal(
        scalar(e, arena_printf(e->a,
                               "SELECT count(*) FROM outbox_attachments WHERE outbox_id = "
                               "%lld",
                               fresh)),
        1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_mime_mixed_with_files, setup, teardown),
        cmocka_unit_test_setup_teardown(test_mime_text_only_with_file, setup, teardown),
        cmocka_unit_test_setup_teardown(test_mime_filename_encoding, setup, teardown),
        cmocka_unit_test_setup_teardown(test_attachment_checks, setup, teardown),
        cmocka_unit_test_setup_teardown(test_delivered_with_files, setup, teardown),
        cmocka_unit_test_setup_teardown(test_attach_refusals_store_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_housekeeping_deletes_files_with_their_mail, setup,
                                        teardown),
    };
    int failed = cmocka_run_group_tests_name("mail attachments on SQLite", tests, NULL, NULL);
    pg_url = getenv("KP_TEST_PG_URL");
    if (!pg_url || !*pg_url) {
        print_message("KP_TEST_PG_URL is not set: skipping the PostgreSQL run\n");
        return failed;
    }
    return failed +
           cmocka_run_group_tests_name("mail attachments on PostgreSQL", tests, NULL, NULL);
}
