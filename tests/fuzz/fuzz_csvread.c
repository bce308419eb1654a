/* fuzz_csvread.c - libFuzzer target for the CSV reader (core/csvread.h).
 *
 * The input is a file as uploaded, in an exactly-sized buffer (ASan
 * catches a read past it). Whatever it is, the reader either refuses it
 * with a message or gives a table within the limits: every field valid
 * UTF-8 without NUL and not longer than allowed, no blank record, lines
 * going forward. A table written back (every field quoted, the same
 * separator) reads as the same fields again.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/csvread.h"

static const csvr_limits lim = {4096, 50, 12, 64};

static int utf8_ok(const unsigned char *s, size_t n)
{
    for (size_t i = 0; i < n;) {
        unsigned char c = s[i];
        size_t k = c < 0x80                 ? 1
                   : c >= 0xC2 && c <= 0xDF ? 2
                   : c >= 0xE0 && c <= 0xEF ? 3
                   : c >= 0xF0 && c <= 0xF4 ? 4
                                            : 0;
        if (!k || i + k > n || c == 0) return 0;
        for (size_t j = 1; j < k; j++)
            if ((s[i + j] & 0xC0) != 0x80) return 0;
        i += k;
    }
    return 1;
}

static void check_record(const csvr_record *r)
{
    if (r->n < 1 || r->n > lim.max_fields || r->line < 1) abort();
    int empty = 1;
    for (size_t i = 0; i < r->n; i++) {
        size_t len = strlen(r->f[i]);
        if (len > lim.max_field || !utf8_ok((const unsigned char *)r->f[i], len)) abort();
        if (len) empty = 0;
    }
    if (empty) abort();
}

static void write_record(buf *b, const csvr_record *r, char sep)
{
    for (size_t i = 0; i < r->n; i++) {
        if (i) buf_putc(b, sep);
        buf_putc(b, '"');
        for (const char *p = r->f[i]; *p; p++) {
            if (*p == '"') buf_putc(b, '"');
            buf_putc(b, *p);
        }
        buf_putc(b, '"');
    }
    buf_puts(b, "\r\n");
}

static int same_record(const csvr_record *x, const csvr_record *y)
{
    if (x->n != y->n) return 0;
    for (size_t i = 0; i < x->n; i++)
        if (strcmp(x->f[i], y->f[i]) != 0) return 0;
    return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = malloc(size ? size : 1);
    if (!s) abort();
    memcpy(s, data, size);
    arena *a = arena_new(0);
    csvr_table t;
    const char *err = csvr_read(a, s, size, &lim, &t);
    if (err) {
        if (!*err) abort();
    } else {
        if (t.sep != ';' && t.sep != ',') abort();
        if (t.nrows > lim.max_rows) abort();
        check_record(&t.header);
        int line = t.header.line;
        for (size_t i = 0; i < t.nrows; i++) {
            check_record(&t.rows[i]);
            if (t.rows[i].line <= line) abort();
            line = t.rows[i].line;
        }
        /* a one-field header says nothing of the separator: ';' is read */
        if (t.header.n >= 2 || t.sep == ';') {
            buf b;
            buf_init(&b, a, 256);
            write_record(&b, &t.header, t.sep);
            for (size_t i = 0; i < t.nrows; i++)
                write_record(&b, &t.rows[i], t.sep);
            csvr_limits roomy = lim;
            roomy.max_bytes = b.len;
            csvr_table u;
            if (csvr_read(a, b.data, b.len, &roomy, &u) != NULL) abort();
            if (u.sep != t.sep || u.nrows != t.nrows || !same_record(&u.header, &t.header)) abort();
            for (size_t i = 0; i < t.nrows; i++)
                if (!same_record(&u.rows[i], &t.rows[i])) abort();
        }
    }
    arena_free(a);
    free(s);
    return 0;
}
