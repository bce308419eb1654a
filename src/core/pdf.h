/* pdf.h - simple A4 documents (confirmations, invoices, certificates) as PDF.
 *
 * A thin layer over libharu. Text is UTF-8 and set in an embedded TrueType
 * font (DejaVu Sans, regular and bold), so names such as "Łódź" or
 * "Coördinator" and the euro sign come out as written and can be copied or
 * searched in a PDF reader.
 *
 * The builder keeps a cursor that runs down the page; every call places its
 * block below the previous one and starts a new page when the block would
 * cross the bottom margin (a table repeats its header there). pdf_finish()
 * numbers the pages ("Pagina 1 van 2") in the footer.
 *
 * Errors are sticky, as with a FILE: the drawing calls return nothing, the
 * first failure inside libharu is kept and pdf_finish() reports it. libharu
 * never ends the process; no call here longjmps.
 *
 * Memory: a pdf_doc and libharu's objects are on the heap (malloc), so the
 * caller frees the document with pdf_free() in every case, also after a
 * failed pdf_finish(). The finished bytes are copied into the caller's arena.
 *
 * Thread-safety: one pdf_doc belongs to one thread at a time; different
 * documents may be built at the same time in different threads (libharu keeps
 * no shared state). Each document parses its fonts anew: count on some tens
 * of milliseconds per document.
 */
#ifndef KP_PDF_H
#define KP_PDF_H

#include <stddef.h>

#include "core/arena.h"

/* The two font files, looked up in the font folder. */
#define PDF_FONT_REGULAR "DejaVuSans.ttf"
#define PDF_FONT_BOLD "DejaVuSans-Bold.ttf"

/* The width of pdf_sum's value column: give a table's amount column this
 * width and its figures line up with the totals under it. */
#define PDF_SUM_W 110.0

/* Columns of one table at most. */
#define PDF_MAX_COLS 12

typedef struct pdf_doc pdf_doc;

/* One table column: its header, its width in points (0: an equal share of
 * what the other columns leave of the text width) and whether its cells are
 * set against the right edge (amounts). */
typedef struct pdf_col {
    const char *title;
    double width;
    int right;
} pdf_col;

/* A new document with one empty A4 page; title goes into the document
 * properties (creator "Klantportal"). font_dir holds PDF_FONT_REGULAR and
 * PDF_FONT_BOLD. Returns NULL with a Dutch reason in err when a font cannot
 * be loaded or libharu cannot start. */
pdf_doc *pdf_new(const char *font_dir, const char *title, char *err, size_t errlen);

/* The provider's name, address, phone, e-mail and KvK number, with a rule
 * under it. Meant as the first block of a page. */
void pdf_letterhead(pdf_doc *d);
/* A bold heading; never left alone at the bottom of a page. */
void pdf_heading(pdf_doc *d, const char *text);
/* A paragraph, wrapped at the text width; '\n' starts a new line. */
void pdf_text(pdf_doc *d, const char *text);
/* A "label  value" line: the label in a fixed left column, the value wrapped
 * in the rest of the width. NULL value: an empty value. */
void pdf_row(pdf_doc *d, const char *label, const char *value);
/* A table: a bold header row with a rule under it, then nrows rows of ncols
 * cells each (cells[r * ncols + c]; NULL is an empty cell). Cells wrap in
 * their column. More than PDF_MAX_COLS columns is an error. */
void pdf_table(pdf_doc *d, const pdf_col *cols, int ncols, const char *const *cells, int nrows);
/* A totals line under a table: the label and the value set against the
 * right edge, the value in the width of a right-aligned amount column (as a
 * table's last column of PDF_SUM_W points), the label right-aligned before
 * it. strong: in bold with a rule above (the grand total). */
void pdf_sum(pdf_doc *d, const char *label, const char *value, int strong);
/* Vertical white space of pt points (at most to the bottom of the page). */
void pdf_space(pdf_doc *d, double pt);
/* Continues on a new page. */
void pdf_page_break(pdf_doc *d);

/* The whole file: *data (len bytes, in arena a) on 0; -1 when anything
 * failed since pdf_new (the reason: pdf_error). Call once. */
int pdf_finish(pdf_doc *d, arena *a, const char **data, size_t *len);
/* The first failure, in Dutch, for the log; "" while there is none. */
const char *pdf_error(const pdf_doc *d);
/* Frees the document; NULL is allowed. */
void pdf_free(pdf_doc *d);

#endif
