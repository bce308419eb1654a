/* fuzz_invoice_pdf.c - libFuzzer target for the invoice PDF (inv_pdf).
 *
 * The input is split at NUL bytes: the invoice party's name (also the
 * "t.a.v." line), the reference, then a description per line (at most
 * MAX_LINES; odd lines at 21 %, even ones exempt). A reference that starts
 * with 'C' makes a credit note. Whatever the texts are (any bytes, any
 * UTF-8, lines far wider than the page), inv_pdf returns 0 with a PDF or -1
 * with a reason and no bytes, and leaves nothing allocated behind.
 *
 * The fonts: KLANTPORTAL_PDF_FONT_DIR, else Debian's DejaVu folder, as the
 * program itself finds them.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/pdf.h"
#include "core/provider.h"
#include "invoicing/render.h"

#define MAX_LINES 40

static const char *font_dir;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    font_dir = getenv("KLANTPORTAL_PDF_FONT_DIR");
    if (!font_dir || !*font_dir) font_dir = "/usr/share/fonts/truetype/dejavu";
    /* without the fonts every input would only test the error path */
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", font_dir, PDF_FONT_REGULAR);
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "fuzz_invoice_pdf: no font %s (set KLANTPORTAL_PDF_FONT_DIR)\n", path);
        exit(1);
    }
    fclose(f);
    return 0;
}

/* The next NUL-terminated piece of the input from *at on, as its own
 * exactly-sized copy (ASan catches a read past it); NULL when the input is
 * used up. */
static char *piece(arena *a, const uint8_t *data, size_t size, size_t *at)
{
    if (*at > size) return NULL;
    const uint8_t *nul = memchr(data + *at, 0, size - *at);
    size_t n = nul ? (size_t)(nul - (data + *at)) : size - *at;
    char *s = arena_strndup(a, (const char *)data + *at, n);
    *at += n + 1;
    return s;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    arena *a = arena_new(0);
    size_t at = 0;
    const char *name = piece(a, data, size, &at);
    const char *reference = piece(a, data, size, &at);
    if (!reference) reference = "";
    inv_line lines[MAX_LINES];
    int n = 0;
    const char *desc;
    int credit = reference[0] == 'C';
    while (n < MAX_LINES && (desc = piece(a, data, size, &at))) {
        long long cents = (long long)strlen(desc) * 12345 + n;
        lines[n] = (inv_line){desc, credit ? -cents : cents, n % 2 ? 21 : 0, n + 1, 0};
        n++;
    }
    inv_invoice inv = {
        .id = 1,
        .number = "2026-000123",
        .credit = credit,
        .credit_of_number = credit ? "2026-000100" : NULL,
        .credit_of_date = credit ? "2026-01-31" : NULL,
        .organisation_id = 1,
        .invoice_date = "2026-03-14",
        .due_date = "2026-04-13",
        .status = "open",
        .reference = reference,
        .payment_reference = "2026000123",
        .party = {name, name, reference, "1", "1782 GA", name, "12345678", "x@example.nl"},
        .seller = {PROVIDER_NAME, PROVIDER_STREET, PROVIDER_POSTCODE, PROVIDER_CITY, PROVIDER_KVK,
                   PROVIDER_VAT, PROVIDER_IBAN, PROVIDER_EMAIL, PROVIDER_PHONE},
        .lines = lines,
        .nlines = n,
    };
    inv_totals(&inv);
    const char *pdf = "unset";
    size_t len = 7;
    char err[256] = "";
    int rc = inv_pdf(&inv, font_dir, a, &pdf, &len, err, sizeof err);
    if (rc == 0) {
        if (!pdf || len < 5 || memcmp(pdf, "%PDF-", 5) != 0) abort();
    } else if (rc == -1) {
        if (pdf || len != 0 || !err[0]) abort();
    } else {
        abort();
    }
    arena_free(a);
    return 0;
}
