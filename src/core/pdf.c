/* pdf.c - see pdf.h */
#include "core/pdf.h"

#include <hpdf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/provider.h"
#include "core/utf8.h"

/* Page geometry in points (1/72 inch); A4 is 595 x 842. */
#define PAGE_W 595.276
#define PAGE_H 841.89
#define MARGIN 56.7 /* 20 mm */
#define TOP (PAGE_H - MARGIN)
#define BOTTOM 70.0 /* leaves room for the page number */
#define TEXT_W (PAGE_W - 2 * MARGIN)
#define BODY 10.0 /* body text size */
#define LEAD 14.0 /* its line height */
#define LABEL_W 150.0
#define PAD 4.0 /* inside a table cell, left and right */

typedef struct rgb {
    double r, g, b;
} rgb;
/* The portal's colours: ink, muted text, brand, rules. */
static const rgb INK = {0.114, 0.137, 0.153};
static const rgb MUTED = {0.314, 0.345, 0.369};
static const rgb BRAND = {0.043, 0.333, 0.388};
static const rgb LINE = {0.835, 0.855, 0.867};

/* The letterhead: the same facts as the site's administratie block. */
static const char PROVIDER_LINES[] =
    PROVIDER_STREET ", " PROVIDER_POSTCODE " " PROVIDER_CITY "\n"
                    "Telefoon " PROVIDER_PHONE " · " PROVIDER_EMAIL " · KvK-nummer " PROVIDER_KVK;

struct pdf_doc {
    HPDF_Doc h;
    HPDF_Font regular, bold;
    HPDF_Page page;
    int npages;
    double y;  /* top of the next line, from the bottom of the page */
    int fresh; /* nothing placed on this page yet */
    arena *scratch;
    HPDF_STATUS status, detail; /* the first error */
    char error[200];
};

typedef struct line {
    const char *s;
    size_t n;
} line;

/* libharu calls this on every failure and then returns an error code; the
 * first one is kept and the document is refused at the end. */
static void on_error(HPDF_STATUS no, HPDF_STATUS detail, void *user)
{
    pdf_doc *d = user;
    if (d->status != HPDF_OK) return;
    d->status = no;
    d->detail = detail;
    snprintf(d->error, sizeof d->error, "PDF maken mislukt (libharu-fout 0x%04X, %u)", (unsigned)no,
             (unsigned)detail);
}

static void new_page(pdf_doc *d)
{
    HPDF_Page p = HPDF_AddPage(d->h);
    if (!p) return;
    HPDF_Page_SetSize(p, HPDF_PAGE_SIZE_A4, HPDF_PAGE_PORTRAIT);
    d->npages++;
    d->page = p;
    d->y = TOP;
    d->fresh = 1;
}

/* Room for h points below the cursor, else a new page. A fresh page takes
 * any block, so one taller than a page cannot loop. */
static int need(pdf_doc *d, double h)
{
    if (d->y - h >= BOTTOM || d->fresh) return 0;
    new_page(d);
    return 1;
}

static HPDF_Font load_font(pdf_doc *d, const char *dir, const char *file, char *err, size_t errlen)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir, file);
    const char *name = HPDF_LoadTTFontFromFile(d->h, path, HPDF_TRUE);
    HPDF_Font f = name ? HPDF_GetFont(d->h, name, "UTF-8") : NULL;
    if (!f)
        snprintf(err, errlen, "Lettertype %s niet te laden (libharu-fout 0x%04X, %u)", path,
                 (unsigned)d->status, (unsigned)d->detail);
    return f;
}

pdf_doc *pdf_new(const char *font_dir, const char *title, char *err, size_t errlen)
{
    pdf_doc *d = calloc(1, sizeof *d);
    if (!d) {
        snprintf(err, errlen, "PDF maken mislukt: geen geheugen");
        return NULL;
    }
    d->scratch = arena_new(0);
    d->h = HPDF_New(on_error, d);
    if (!d->h) {
        snprintf(err, errlen, "PDF maken mislukt: libharu start niet");
        pdf_free(d);
        return NULL;
    }
    /* Without zlib in libharu the file is only larger: not a failure. */
    if (HPDF_SetCompressionMode(d->h, HPDF_COMP_ALL) != HPDF_OK) {
        HPDF_ResetError(d->h);
        d->status = HPDF_OK;
    }
    /* UTF-8 for the text and for the document properties alike */
    HPDF_UseUTFEncodings(d->h);
    HPDF_SetCurrentEncoder(d->h, "UTF-8");
    d->regular = load_font(d, font_dir, PDF_FONT_REGULAR, err, errlen);
    d->bold = d->regular ? load_font(d, font_dir, PDF_FONT_BOLD, err, errlen) : NULL;
    if (!d->bold) {
        pdf_free(d);
        return NULL;
    }
    HPDF_SetInfoAttr(d->h, HPDF_INFO_TITLE, title ? title : "");
    HPDF_SetInfoAttr(d->h, HPDF_INFO_CREATOR, "Klantportal");
    HPDF_SetInfoAttr(d->h, HPDF_INFO_AUTHOR, PROVIDER_NAME);
    new_page(d);
    if (d->status != HPDF_OK) {
        snprintf(err, errlen, "%s", d->error);
        pdf_free(d);
        return NULL;
    }
    return d;
}

/* The text as libharu can set it: a tab becomes a space, other control
 * characters but '\n' go, and bytes that are no UTF-8 or a character the
 * font cannot have (emoji) become U+FFFD, so nothing vanishes unseen. */
static char *clean(pdf_doc *d, const char *text)
{
    const unsigned char *s = (const unsigned char *)(text ? text : "");
    size_t n = strlen((const char *)s);
    char *out = arena_alloc(d->scratch, 3 * n + 1), *o = out;
    for (size_t i = 0; i < n;) {
        size_t len = utf8_char_len(s + i, n - i);
        if (len == 0 || len == 4) { /* the font has nothing above U+FFFF */
            memcpy(o, "\xEF\xBF\xBD", 3);
            o += 3;
            i++;
            while (i < n && (s[i] & 0xC0) == 0x80)
                i++;
        } else if (len == 1 && (s[i] < 0x20 || s[i] == 0x7F)) {
            if (s[i] == '\n' || s[i] == '\t') *o++ = s[i] == '\n' ? '\n' : ' ';
            i++;
        } else {
            memcpy(o, s + i, len);
            o += len;
            i += len;
        }
    }
    *o = '\0';
    return out;
}

/* The bytes of s[0..n) that fit in width w, broken after a space when there
 * is one, else inside the word (at a character boundary), at least one
 * character; *next is where the following line starts. */
static size_t fit(HPDF_Font f, double size, const char *s, size_t n, double w, size_t *next)
{
    HPDF_REAL real;
    const HPDF_BYTE *b = (const HPDF_BYTE *)s;
    size_t k = HPDF_Font_MeasureText(f, b, (HPDF_UINT)n, (HPDF_REAL)w, (HPDF_REAL)size, 0, 0,
                                     HPDF_TRUE, &real);
    if (k == 0 || k > n) {
        /* one word wider than the line; libharu may count into a multi-byte
         * character here, so step back to its start */
        k = HPDF_Font_MeasureText(f, b, (HPDF_UINT)n, (HPDF_REAL)w, (HPDF_REAL)size, 0, 0,
                                  HPDF_FALSE, &real);
        if (k > n) k = n;
        while (k > 0 && (b[k] & 0xC0) == 0x80)
            k--;
        if (k == 0)
            for (k = 1; k < n && (b[k] & 0xC0) == 0x80; k++)
                ;
    }
    size_t end = k;
    while (end > 0 && s[end - 1] == ' ')
        end--;
    while (k < n && s[k] == ' ')
        k++;
    *next = k;
    return end;
}

/* The lines of text in width w; returns their number (at least one). */
static int wrap(pdf_doc *d, HPDF_Font f, double size, const char *text, double w, line **out)
{
    const char *s = clean(d, text);
    int cap = 8, n = 0;
    line *lines = arena_alloc(d->scratch, (size_t)cap * sizeof *lines);
    for (;;) {
        size_t para = strcspn(s, "\n"), pos = 0;
        do {
            if (n == cap) {
                line *more = arena_alloc(d->scratch, (size_t)cap * 2 * sizeof *lines);
                memcpy(more, lines, (size_t)cap * sizeof *lines);
                lines = more;
                cap *= 2;
            }
            size_t next, len = para ? fit(f, size, s + pos, para - pos, w, &next) : 0;
            lines[n++] = (line){s + pos, len};
            pos = para ? pos + next : 0;
        } while (pos < para);
        if (s[para] == '\0') break;
        s += para + 1;
    }
    *out = lines;
    return n;
}

static double width_of(HPDF_Font f, double size, const char *s)
{
    HPDF_TextWidth tw = HPDF_Font_TextWidth(f, (const HPDF_BYTE *)s, (HPDF_UINT)strlen(s));
    return tw.width * size / 1000.0;
}

/* Sets s[0..n) with its baseline one size below y; right: x is the right
 * edge instead of the left one. */
static void put(pdf_doc *d, HPDF_Font f, double size, rgb c, double x, double y, const char *s,
                size_t n, int right)
{
    if (n == 0 || !d->page) return;
    char *t = arena_strndup(d->scratch, s, n);
    if (right) x -= width_of(f, size, t);
    HPDF_Page_SetRGBFill(d->page, (HPDF_REAL)c.r, (HPDF_REAL)c.g, (HPDF_REAL)c.b);
    HPDF_Page_BeginText(d->page);
    HPDF_Page_SetFontAndSize(d->page, f, (HPDF_REAL)size);
    HPDF_Page_TextOut(d->page, (HPDF_REAL)x, (HPDF_REAL)(y - size), t);
    HPDF_Page_EndText(d->page);
}

static void rule(pdf_doc *d, double x0, double x1, double y, double width, rgb c)
{
    if (!d->page) return;
    HPDF_Page_SetLineWidth(d->page, (HPDF_REAL)width);
    HPDF_Page_SetRGBStroke(d->page, (HPDF_REAL)c.r, (HPDF_REAL)c.g, (HPDF_REAL)c.b);
    HPDF_Page_MoveTo(d->page, (HPDF_REAL)x0, (HPDF_REAL)y);
    HPDF_Page_LineTo(d->page, (HPDF_REAL)x1, (HPDF_REAL)y);
    HPDF_Page_Stroke(d->page);
}

/* Text wrapped at the full width, one line under the other. */
static void lines_out(pdf_doc *d, HPDF_Font f, double size, double lead, rgb c, const char *text)
{
    line *ls;
    int n = wrap(d, f, size, text, TEXT_W, &ls);
    for (int i = 0; i < n; i++) {
        need(d, lead);
        put(d, f, size, c, MARGIN, d->y, ls[i].s, ls[i].n, 0);
        d->y -= lead;
        d->fresh = 0;
    }
}

/* A block is done: libharu has copied its text, the scratch copies go. */
static void done(pdf_doc *d)
{
    arena_reset(d->scratch);
}

void pdf_letterhead(pdf_doc *d)
{
    lines_out(d, d->bold, 16, 22, BRAND, PROVIDER_NAME);
    lines_out(d, d->regular, 9, 12, MUTED, PROVIDER_LINES);
    d->y -= 6;
    rule(d, MARGIN, PAGE_W - MARGIN, d->y, 0.8, BRAND);
    d->y -= 18;
    done(d);
}

void pdf_heading(pdf_doc *d, const char *text)
{
    /* a heading with at least two lines under it, or on the next page */
    if (!d->fresh) d->y -= 8;
    need(d, 20 + 2 * LEAD);
    lines_out(d, d->bold, 13, 18, BRAND, text);
    d->y -= 4;
    done(d);
}

void pdf_text(pdf_doc *d, const char *text)
{
    lines_out(d, d->regular, BODY, LEAD, INK, text);
    d->y -= 6;
    done(d);
}

void pdf_row(pdf_doc *d, const char *label, const char *value)
{
    line *ll, *vl;
    int nl = wrap(d, d->regular, BODY, label, LABEL_W - 8, &ll);
    int nv = wrap(d, d->regular, BODY, value, TEXT_W - LABEL_W, &vl);
    for (int i = 0; i < nl || i < nv; i++) {
        need(d, LEAD);
        if (i < nl) put(d, d->regular, BODY, MUTED, MARGIN, d->y, ll[i].s, ll[i].n, 0);
        if (i < nv) put(d, d->regular, BODY, INK, MARGIN + LABEL_W, d->y, vl[i].s, vl[i].n, 0);
        d->y -= LEAD;
        d->fresh = 0;
    }
    d->y -= 2;
    done(d);
}

#define SUM_LABEL_W 240.0

void pdf_sum(pdf_doc *d, const char *label, const char *value, int strong)
{
    HPDF_Font f = strong ? d->bold : d->regular;
    line *ll, *vl;
    int nl = wrap(d, f, BODY, label, SUM_LABEL_W - PAD, &ll);
    int nv = wrap(d, f, BODY, value, PDF_SUM_W - 2 * PAD, &vl);
    double right = PAGE_W - MARGIN, label_right = right - PDF_SUM_W;
    /* the grand total keeps its rule: rule and first line move together */
    if (strong) {
        need(d, LEAD + 6);
        rule(d, label_right - SUM_LABEL_W, right, d->y, 0.8, INK);
        d->y -= 4;
    }
    for (int i = 0; i < nl || i < nv; i++) {
        need(d, LEAD);
        if (i < nl) put(d, f, BODY, INK, label_right - PAD, d->y, ll[i].s, ll[i].n, 1);
        if (i < nv) put(d, f, BODY, INK, right - PAD, d->y, vl[i].s, vl[i].n, 1);
        d->y -= LEAD;
        d->fresh = 0;
    }
    d->y -= 2;
    done(d);
}

void pdf_space(pdf_doc *d, double pt)
{
    d->y -= pt;
    if (d->y < BOTTOM) d->y = BOTTOM;
}

void pdf_page_break(pdf_doc *d)
{
    new_page(d);
}

/* A table: its columns and their widths (a table has at most PDF_MAX_COLS). */
typedef struct table {
    const pdf_col *cols;
    int ncols;
    double w[PDF_MAX_COLS];
} table;

static void cells_out(pdf_doc *d, const table *t, HPDF_Font f, const char *const *cells, int head);

static void table_head(pdf_doc *d, const table *t)
{
    const char *titles[PDF_MAX_COLS];
    for (int c = 0; c < t->ncols; c++)
        titles[c] = t->cols[c].title;
    cells_out(d, t, d->bold, titles, 1);
}

/* One row, every cell wrapped in its column. A row moves to the next page
 * whole, unless it is taller than a page; either way the header comes first
 * on the new page. */
static void cells_out(pdf_doc *d, const table *t, HPDF_Font f, const char *const *cells, int head)
{
    line *ls[PDF_MAX_COLS];
    int n[PDF_MAX_COLS], rows = 1;
    for (int c = 0; c < t->ncols; c++) {
        n[c] = wrap(d, f, BODY, cells ? cells[c] : NULL, t->w[c] - 2 * PAD, &ls[c]);
        if (n[c] > rows) rows = n[c];
    }
    /* a row taller than a page starts where it is (with two lines at
     * least): moved whole it would leave the header alone above it */
    double h = rows * LEAD + 6;
    if (!head && need(d, h <= TOP - BOTTOM ? h : 2 * LEAD)) table_head(d, t);
    for (int i = 0; i < rows; i++) {
        if (!head && need(d, LEAD)) table_head(d, t);
        double x = MARGIN;
        for (int c = 0; c < t->ncols; c++) {
            int right = t->cols[c].right;
            if (i < n[c])
                put(d, f, BODY, INK, right ? x + t->w[c] - PAD : x + PAD, d->y, ls[c][i].s,
                    ls[c][i].n, right);
            x += t->w[c];
        }
        d->y -= LEAD;
        d->fresh = 0;
    }
    d->y -= 3;
    rule(d, MARGIN, PAGE_W - MARGIN, d->y, head ? 0.8 : 0.4, head ? INK : LINE);
    d->y -= 3;
}

void pdf_table(pdf_doc *d, const pdf_col *cols, int ncols, const char *const *cells, int nrows)
{
    if (ncols < 1 || ncols > PDF_MAX_COLS || nrows < 0) {
        on_error(HPDF_INVALID_PARAMETER, (HPDF_STATUS)ncols, d);
        return;
    }
    table t = {cols, ncols, {0}};
    double fixed = 0;
    int share = 0;
    for (int c = 0; c < ncols; c++) {
        if (cols[c].width > 0)
            fixed += cols[c].width;
        else
            share++;
    }
    double rest = share ? (TEXT_W - fixed) / share : 0;
    for (int c = 0; c < ncols; c++)
        t.w[c] = cols[c].width > 0 ? cols[c].width : rest > 3 * PAD ? rest : 3 * PAD;
    /* the header with at least one row under it */
    need(d, 3 * LEAD + 12);
    table_head(d, &t);
    done(d);
    for (int r = 0; r < nrows; r++) {
        cells_out(d, &t, d->regular, cells + (size_t)r * (size_t)ncols, 0);
        done(d);
    }
    d->y -= 6;
}

/* "Pagina 1 van 2" at the foot of every page, once their number is known. */
static void number_pages(pdf_doc *d)
{
    for (int i = 0; i < d->npages; i++) {
        d->page = HPDF_GetPageByIndex(d->h, (HPDF_UINT)i);
        char s[48];
        int n = snprintf(s, sizeof s, "Pagina %d van %d", i + 1, d->npages);
        put(d, d->regular, 8, MUTED, PAGE_W - MARGIN, 48, s, (size_t)n, 1);
    }
}

int pdf_finish(pdf_doc *d, arena *a, const char **data, size_t *len)
{
    *data = NULL;
    *len = 0;
    if (d->npages > 1) number_pages(d);
    if (d->status == HPDF_OK) HPDF_SaveToStream(d->h);
    if (d->status != HPDF_OK) return -1;
    HPDF_UINT32 size = HPDF_GetStreamSize(d->h), got = size;
    char *out = arena_alloc(a, (size_t)size + 1);
    if (HPDF_ReadFromStream(d->h, (HPDF_BYTE *)out, &got) != HPDF_OK || got != size) {
        on_error(HPDF_STREAM_EOF, got, d);
        return -1;
    }
    out[size] = '\0';
    *data = out;
    *len = size;
    return 0;
}

const char *pdf_error(const pdf_doc *d)
{
    return d->error;
}

void pdf_free(pdf_doc *d)
{
    if (!d) return;
    if (d->h) HPDF_Free(d->h);
    arena_free(d->scratch);
    free(d);
}
