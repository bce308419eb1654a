/* Unit tests: an invoice and a credit note as PDF, read back with
 * pdftotext -layout (poppler-utils) as a customer or a bookkeeper copies
 * the text: the party, number, amounts, VAT per rate, the exemption on the
 * exempt line, how to pay; names in any UTF-8 and very long descriptions
 * make a document, never a failure. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/provider.h"
#include "invoicing/render.h"

#define FONTS "/usr/share/fonts/truetype/dejavu"

/* pdftotext -layout on the bytes, with every run of white space made one
 * space: a sentence wrapped over lines reads as one. */
static char *read_back(arena *a, const char *data, size_t len)
{
    char path[] = "/tmp/kp-test-invpdf-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, data, len), (ssize_t)len);
    close(fd);
    char cmd[256];
    snprintf(cmd, sizeof cmd, "pdftotext -layout -enc UTF-8 %s - 2>/dev/null", path);
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    buf out;
    buf_init(&out, a, 4096);
    int c, space = 0;
    while ((c = fgetc(p)) != EOF) {
        if (c == ' ' || c == '\n' || c == '\t' || c == '\f' || c == '\r') {
            space = 1;
            continue;
        }
        if (space && out.len) buf_putc(&out, ' ');
        space = 0;
        buf_putc(&out, (char)c);
    }
    buf_putc(&out, '\0');
    int status = pclose(p);
    unlink(path);
    if (status != 0) fail_msg("pdftotext failed (status %d): is poppler-utils installed?", status);
    return out.data;
}

static void has(const char *text, const char *needle)
{
    if (!strstr(text, needle)) fail_msg("not in the PDF: \"%s\"\n--- text:\n%s", needle, text);
}

static const inv_seller SELLER = {PROVIDER_NAME, PROVIDER_STREET, PROVIDER_POSTCODE,
                                  PROVIDER_CITY, PROVIDER_KVK,    PROVIDER_VAT,
                                  PROVIDER_IBAN, PROVIDER_EMAIL,  PROVIDER_PHONE};

/* Gemeente Heerhugowaard: a 21 % line of € 95,00 and an exempt one. */
static inv_invoice organisation_invoice(inv_line *lines)
{
    lines[0] = (inv_line){"Excel voor gevorderden, 12 maart 2026", 9500, 21, 1, 1};
    lines[1] = (inv_line){"Basic Safety (STCW), 2 april 2026, Jan de Vries", 125000, 0, 2, 2};
    inv_invoice inv = {
        .id = 1,
        .number = "2026-000123",
        .organisation_id = 7,
        .invoice_date = "2026-03-14",
        .due_date = "2026-04-13",
        .status = "open",
        .reference = "INK-2026-0042",
        .payment_reference = "2026000123",
        .party = {"Gemeente Heerhugowaard", "Deby Rummens - Heijnen", "Parelhoenstraat", "15",
                  "1704 JK", "Heerhugowaard", "12345678", "facturen@heerhugowaard.nl"},
        .seller = SELLER,
        .lines = lines,
        .nlines = 2,
    };
    inv_totals(&inv);
    return inv;
}

static void invoice_reads_back(void **state)
{
    (void)state;
    arena *a = arena_new(0);
    inv_line lines[2];
    inv_invoice inv = organisation_invoice(lines);
    const char *data = NULL;
    size_t len = 0;
    char err[256] = "";
    assert_int_equal(inv_pdf(&inv, FONTS, a, &data, &len, err, sizeof err), 0);
    assert_string_equal(err, "");
    assert_memory_equal(data, "%PDF-", 5);
    const char *t = read_back(a, data, len);
    has(t, "Onderwijsgroep Noordwest-Holland"); /* the letterhead */
    has(t, "Factuur");
    assert_null(strstr(t, "Creditfactuur"));
    has(t, "Gemeente Heerhugowaard t.a.v. Deby Rummens - Heijnen Parelhoenstraat 15 1704 JK "
           "Heerhugowaard KvK-nummer 12345678");
    has(t, "Factuurnummer 2026-000123");
    has(t, "Factuurdatum 14 maart 2026");
    has(t, "Vervaldatum 13 april 2026");
    has(t, "Referentie INK-2026-0042");
    has(t, "Omschrijving Btw Bedrag excl. btw");
    has(t, "Excel voor gevorderden, 12 maart 2026 21% € 95,00");
    has(t,
        "Basic Safety (STCW), 2 april 2026, Jan de Vries vrijgesteld € 1.250,00 " INV_EXEMPT_TEXT);
    has(t, "Vrijgesteld van btw over € 1.250,00 € 0,00");
    has(t, "Btw 21% over € 95,00 € 19,95");
    has(t, "Totaal excl. btw € 1.345,00");
    has(t, "Btw € 19,95");
    has(t, "Totaal te betalen € 1.364,95");
    has(t, "Gelieve € 1.364,95 vóór 13 april 2026 over te maken op NL91ABNA0417164300 t.n.v. "
           "Onderwijsgroep Noordwest-Holland onder vermelding van 2026000123.");
    has(t, "KvK-nummer 37095212 · Btw-nummer NL809521234B01");
    assert_null(strstr(t, "Pagina")); /* one page */

    /* a person: no KvK line even if the copy had one, no reference row */
    inv.organisation_id = 0;
    inv.person_id = 3;
    inv.party = (inv_party){"Martin Jansen", "",           "Dorpsstraat", "1a",
                            "1783 AB",       "Den Helder", "99999999",    "martin@example.nl"};
    inv.reference = "";
    assert_int_equal(inv_pdf(&inv, FONTS, a, &data, &len, err, sizeof err), 0);
    t = read_back(a, data, len);
    has(t, "Martin Jansen Dorpsstraat 1a 1783 AB Den Helder Factuurnummer");
    assert_null(strstr(t, "99999999"));
    assert_null(strstr(t, "t.a.v."));
    assert_null(strstr(t, "Referentie"));
    arena_free(a);
}

static void credit_note_reads_back(void **state)
{
    (void)state;
    arena *a = arena_new(0);
    inv_line lines[] = {{"Excel voor gevorderden, 12 maart 2026", -9500, 21, 1, 1}};
    inv_invoice inv = organisation_invoice((inv_line[2]){0});
    inv.number = "2026-000130";
    inv.credit = 1;
    inv.credit_of_number = "2026-000123";
    inv.credit_of_date = "2026-03-14";
    inv.invoice_date = "2026-03-20";
    inv.due_date = "2026-04-19";
    inv.payment_reference = "2026000130";
    inv.lines = lines;
    inv.nlines = 1;
    inv_totals(&inv);
    const char *data;
    size_t len;
    char err[256] = "";
    assert_int_equal(inv_pdf(&inv, FONTS, a, &data, &len, err, sizeof err), 0);
    const char *t = read_back(a, data, len);
    has(t, "Creditfactuur");
    has(t, "Factuurnummer 2026-000130");
    has(t, "Factuurdatum 20 maart 2026");
    has(t, "Creditering van factuur 2026-000123 van 14 maart 2026");
    has(t, "21% -€ 95,00");
    has(t, "Btw 21% over -€ 95,00 -€ 19,95");
    has(t, "Totaal te crediteren -€ 114,95");
    has(t, "Het bedrag van € 114,95 wordt verrekend met factuur 2026-000123.");
    has(t, "onder vermelding van 2026000130.");
    has(t, "Gemeente Heerhugowaard");
    assert_null(strstr(t, "Gelieve"));
    assert_null(strstr(t, "Vervaldatum"));
    arena_free(a);
}

static void any_utf8_and_long_lines_make_a_document(void **state)
{
    (void)state;
    arena *a = arena_new(0);
    inv_line lines[2];
    inv_invoice inv = organisation_invoice(lines);
    inv.party.name = "Łódź Ærø Coördinator 😀";
    inv.party.attention = "kapot \xff\xfe\xc3 \x01 einde";
    buf b;
    buf_init(&b, a, 6000);
    while (b.len < 5000)
        buf_printf(&b, "woord%04zu ", b.len);
    buf_puts(&b, "SLOT");
    lines[0].description = b.data;
    const char *data;
    size_t len;
    char err[256] = "";
    assert_int_equal(inv_pdf(&inv, FONTS, a, &data, &len, err, sizeof err), 0);
    const char *t = read_back(a, data, len);
    has(t, "Łódź Ærø Coördinator \xEF\xBF\xBD"); /* the emoji the font lacks: U+FFFD */
    has(t, "t.a.v. kapot");
    /* the line starts on the first page, under its header, and goes on */
    const char *first = strstr(t, "woord0000"), *foot = strstr(t, "Pagina 1 van ");
    assert_non_null(first);
    assert_non_null(foot);
    assert_true(first < foot);
    has(t, "21% € 95,00");
    has(t, "woord4990 SLOT");
    has(t, "Totaal te betalen € 1.364,95");
    has(t, INV_EXEMPT_TEXT);

    /* one word of 5000 characters is cut, not lost */
    char *word = arena_alloc(a, 5001);
    memset(word, 'x', 5000);
    word[5000] = '\0';
    lines[0].description = word;
    inv.reference = word;
    assert_int_equal(inv_pdf(&inv, FONTS, a, &data, &len, err, sizeof err), 0);
    t = read_back(a, data, len);
    has(t, "Totaal te betalen € 1.364,95");
    arena_free(a);
}

static void missing_fonts_and_fields(void **state)
{
    (void)state;
    arena *a = arena_new(0);
    inv_line lines[2];
    inv_invoice inv = organisation_invoice(lines);
    const char *data = "x";
    size_t len = 1;
    char err[256] = "";
    assert_int_equal(inv_pdf(&inv, "/nonexistent/fonts", a, &data, &len, err, sizeof err), -1);
    assert_null(data);
    assert_int_equal(len, 0);
    assert_non_null(strstr(err, "Lettertype"));

    /* a copy without texts or lines still makes a document */
    inv_invoice empty = {0};
    assert_int_equal(inv_pdf(&empty, FONTS, a, &data, &len, err, sizeof err), 0);
    const char *t = read_back(a, data, len);
    has(t, "Totaal te betalen € 0,00");
    assert_int_equal(inv_pdf(NULL, FONTS, a, &data, &len, err, sizeof err), -1);
    arena_free(a);
}

static void file_names(void **state)
{
    (void)state;
    arena *a = arena_new(0);
    inv_invoice inv = {.number = "2026-000123"};
    assert_string_equal(inv_filename(&inv, a, "pdf"), "factuur-2026-000123.pdf");
    assert_string_equal(inv_filename(&inv, a, ".xml"), "factuur-2026-000123.xml");
    inv.credit = 1;
    assert_string_equal(inv_filename(&inv, a, "pdf"), "creditnota-2026-000123.pdf");
    /* whatever the copy holds, nothing but the number's characters reaches the header */
    inv.number = "2026-00\"0;\r\n1/../x";
    assert_string_equal(inv_filename(&inv, a, "pdf"), "creditnota-2026-0001.pdf");
    arena_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(invoice_reads_back),
        cmocka_unit_test(credit_note_reads_back),
        cmocka_unit_test(any_utf8_and_long_lines_make_a_document),
        cmocka_unit_test(missing_fonts_and_fields),
        cmocka_unit_test(file_names),
    };
    return cmocka_run_group_tests(tests, 0, 0);
}
