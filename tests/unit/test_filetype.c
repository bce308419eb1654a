/* Unit tests: an upload's kind judged by its bytes, and its name made safe
 * (core/filetype.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "core/arena.h"
#include "core/filetype.h"

static arena *A;

static int setup(void **state)
{
    (void)state;
    A = arena_new(4096);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    arena_free(A);
    return 0;
}

#define SNIFF(lit) filetype_sniff((lit), sizeof(lit) - 1)

static void test_magic(void **state)
{
    (void)state;
    assert_int_equal(SNIFF("%PDF-1.4\n%\xE2\xE3\xCF\xD3\n1 0 obj"), FT_PDF);
    assert_int_equal(SNIFF("\x89PNG\r\n\x1a\n\0\0\0\rIHDR"), FT_PNG);
    assert_int_equal(SNIFF("\xFF\xD8\xFF\xE0\0\x10JFIF"), FT_JPEG);
    assert_int_equal(SNIFF("Beste Martin,\r\nHierbij het rooster.\n\tTot ziens – é\n"), FT_TEXT);
    assert_int_equal(SNIFF("\xEF\xBB\xBFnaam;plaats\n"), FT_TEXT);
    /* markup, binary, broken UTF-8, nothing: unknown */
    assert_int_equal(SNIFF("<!doctype html><script>alert(1)</script>"), FT_UNKNOWN);
    assert_int_equal(SNIFF("  \n<html>"), FT_UNKNOWN);
    assert_int_equal(SNIFF("MZ\x90\0\x03\0\0\0"), FT_UNKNOWN);
    assert_int_equal(SNIFF("caf\xE9"), FT_UNKNOWN);
    assert_int_equal(SNIFF("\xC0\xAF"), FT_UNKNOWN);
    assert_int_equal(SNIFF("a\x1b[2Jb"), FT_UNKNOWN);
    assert_int_equal(filetype_sniff("", 0), FT_UNKNOWN);
    assert_int_equal(filetype_sniff(NULL, 5), FT_UNKNOWN);
    /* a PDF's magic not at the start is not a PDF */
    assert_int_equal(SNIFF("\x01%PDF-1.4"), FT_UNKNOWN);
}

/* A stored ZIP (no compression) with the given entry names, built the way
 * a writer lays it out: local headers, central directory, end record. */
static size_t zip(unsigned char *out, const char *const *names, int n)
{
    size_t p = 0, local[8];
    for (int i = 0; i < n; i++) {
        size_t k = strlen(names[i]);
        local[i] = p;
        memset(out + p, 0, 30);
        memcpy(out + p, "PK\x03\x04", 4);
        out[p + 26] = (unsigned char)k;
        memcpy(out + p + 30, names[i], k);
        p += 30 + k;
    }
    size_t cd = p;
    for (int i = 0; i < n; i++) {
        size_t k = strlen(names[i]);
        memset(out + p, 0, 46);
        memcpy(out + p, "PK\x01\x02", 4);
        out[p + 28] = (unsigned char)k;
        out[p + 42] = (unsigned char)local[i];
        memcpy(out + p + 46, names[i], k);
        p += 46 + k;
    }
    size_t cdsize = p - cd;
    memset(out + p, 0, 22);
    memcpy(out + p, "PK\x05\x06", 4);
    out[p + 8] = out[p + 10] = (unsigned char)n;
    out[p + 12] = (unsigned char)cdsize;
    out[p + 13] = (unsigned char)(cdsize >> 8);
    out[p + 16] = (unsigned char)cd;
    out[p + 17] = (unsigned char)(cd >> 8);
    return p + 22;
}

static void test_ooxml(void **state)
{
    (void)state;
    unsigned char b[2048];
    const char *docx[] = {"[Content_Types].xml", "_rels/.rels", "word/document.xml"};
    const char *xlsx[] = {"[Content_Types].xml", "xl/workbook.xml"};
    const char *pptx[] = {"[Content_Types].xml", "ppt/presentation.xml"};
    const char *plain[] = {"readme.txt", "word/x.xml"};
    const char *both[] = {"[Content_Types].xml", "word/a.xml", "xl/b.xml"};
    assert_int_equal(filetype_sniff(b, zip(b, docx, 3)), FT_DOCX);
    assert_int_equal(filetype_sniff(b, zip(b, xlsx, 2)), FT_XLSX);
    assert_int_equal(filetype_sniff(b, zip(b, pptx, 2)), FT_PPTX);
    assert_int_equal(filetype_sniff(b, zip(b, plain, 2)), FT_UNKNOWN);
    assert_int_equal(filetype_sniff(b, zip(b, both, 3)), FT_UNKNOWN);
    /* cut short: the end record is gone */
    size_t n = zip(b, docx, 3);
    assert_int_equal(filetype_sniff(b, n - 1), FT_UNKNOWN);
    /* a central directory said to lie past the end record */
    b[n - 22 + 17] = 0x7F;
    assert_int_equal(filetype_sniff(b, n), FT_UNKNOWN);
}

static void test_names(void **state)
{
    (void)state;
    assert_int_equal(filetype_of_name("Rooster.PDF"), FT_PDF);
    assert_int_equal(filetype_of_name("foto.jpeg"), FT_JPEG);
    assert_int_equal(filetype_of_name("lijst.csv"), FT_TEXT);
    assert_int_equal(filetype_of_name("verslag.docx"), FT_DOCX);
    assert_int_equal(filetype_of_name("x.pdf.exe"), FT_UNKNOWN);
    assert_int_equal(filetype_of_name("zonder"), FT_UNKNOWN);
    assert_string_equal(filetype_content_type(FT_TEXT, "a.csv"), "text/csv; charset=utf-8");
    assert_string_equal(filetype_content_type(FT_TEXT, "a.txt"), "text/plain; charset=utf-8");
    assert_string_equal(filetype_content_type(FT_PDF, "a.pdf"), "application/pdf");
    assert_null(filetype_content_type(FT_UNKNOWN, "a.pdf"));
}

static void test_clean_name(void **state)
{
    (void)state;
    assert_string_equal(filetype_clean_name(A, "C:\\Users\\jan\\rooster.pdf"), "rooster.pdf");
    assert_string_equal(filetype_clean_name(A, "../../etc/passwd"), "passwd");
    assert_string_equal(filetype_clean_name(A, "a\r\nb\x7f.txt"), "ab.txt");
    assert_string_equal(filetype_clean_name(A, "..verborgen.txt"), "verborgen.txt");
    assert_string_equal(filetype_clean_name(A, "caf\xE9.txt"), "caf.txt");
    /* the right-to-left override that disguises "gpj.exe" */
    assert_string_equal(filetype_clean_name(A, "foto\xE2\x80\xAEgpj.exe"), "fotogpj.exe");
    assert_string_equal(filetype_clean_name(A, "Ŝkolo één.pdf"), "Ŝkolo één.pdf");
    assert_string_equal(filetype_clean_name(A, ""), "bijlage");
    assert_string_equal(filetype_clean_name(A, "dir/"), "bijlage");
    assert_string_equal(filetype_clean_name(A, NULL), "bijlage");
    char longname[400];
    memset(longname, 0, sizeof longname);
    for (int i = 0; i < 150; i++)
        strcat(longname, "é");
    strcat(longname, ".pdf");
    const char *c = filetype_clean_name(A, longname);
    assert_true(strlen(c) <= FILETYPE_NAME_MAX);
    assert_string_equal(c + strlen(c) - 4, ".pdf");
    assert_int_equal(((unsigned char)c[strlen(c) - 5] & 0xC0) == 0x80, 1); /* whole é */
    assert_int_equal((strlen(c) - 4) % 2, 0);
    /* cut where spaces run: no space left at the end, and cleaning again
     * changes nothing */
    char spaced[400];
    memset(spaced, 'O', 110);
    memset(spaced + 110, ' ', 40);
    strcpy(spaced + 150, "!");
    c = filetype_clean_name(A, spaced);
    assert_int_not_equal(c[strlen(c) - 1], ' ');
    assert_string_equal(filetype_clean_name(A, c), c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_magic),
        cmocka_unit_test(test_ooxml),
        cmocka_unit_test(test_names),
        cmocka_unit_test(test_clean_name),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
