/* csv.h - CSV as Dutch Excel opens it: UTF-8 with a byte order mark (else
 * Excel reads the bytes as Windows-1252), ';' between cells (',' is the
 * decimal separator in a Dutch locale), CRLF after each row.
 *
 * A cell is quoted when it holds ';', '"', CR or LF ('"' doubled inside).
 * A cell that starts with '=', '+', '-', '@', TAB or CR would be read by
 * a spreadsheet as a formula (formula injection: text a customer typed
 * could run a command or leak data when staff open the file), so it gets
 * a single quote in front; Excel shows the text as it is.
 *
 * Pure functions over a buf (core/buf.h); they never fail. The caller
 * streams: it writes rows into a buffer and sends it piece by piece (see
 * http/stream.h), so a file is never built whole in memory.
 */
#ifndef KP_CSV_H
#define KP_CSV_H

#include "core/buf.h"

/* The three bytes that start the file. */
#define CSV_BOM "\xEF\xBB\xBF"

/* Appends one cell (NULL is an empty cell), without separator. */
void csv_cell(buf *b, const char *s);
/* Appends n cells separated by ';' and ended by CRLF. */
void csv_row(buf *b, const char *const *cells, int n);

#endif
