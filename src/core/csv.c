/* csv.c - see csv.h */
#include "core/csv.h"

#include <string.h>

/* Would a spreadsheet take a cell starting with this byte for a formula? */
static int formula_start(char c)
{
    return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r';
}

void csv_cell(buf *b, const char *s)
{
    if (!s || !*s) return;
    int quote = strpbrk(s, ";\"\r\n") != NULL;
    if (quote) buf_putc(b, '"');
    if (formula_start(s[0])) buf_putc(b, '\'');
    if (!quote) {
        buf_puts(b, s);
        return;
    }
    for (const char *p = s; *p; p++) {
        if (*p == '"') buf_putc(b, '"');
        buf_putc(b, *p);
    }
    buf_putc(b, '"');
}

void csv_row(buf *b, const char *const *cells, int n)
{
    for (int i = 0; i < n; i++) {
        if (i > 0) buf_putc(b, ';');
        csv_cell(b, cells[i]);
    }
    buf_add(b, "\r\n", 2);
}
