/* csvread.c - see csvread.h. */
#include "core/csvread.h"

#include <string.h>

#include "core/buf.h"
#include "core/utf8.h"

#define MSG_EMPTY "Het bestand is leeg: er staat geen kopregel in."
#define MSG_BINARY                                                                                 \
    "Dit is geen CSV-bestand: het bevat tekens die niet in tekst horen. Sla het bestand in "       \
    "Excel op met Opslaan als, type \"CSV UTF-8 (door lijstscheidingsteken gescheiden)\"."
#define MSG_ZIP                                                                                    \
    "Dit is geen CSV-bestand maar een Excel-werkmap (of een ander ingepakt bestand). Sla het in "  \
    "Excel op met Opslaan als, type \"CSV UTF-8 (door lijstscheidingsteken gescheiden)\"."
#define MSG_UTF16                                                                                  \
    "Dit bestand is opgeslagen als Unicode-tekst (UTF-16). Sla het in Excel op met Opslaan als, "  \
    "type \"CSV UTF-8 (door lijstscheidingsteken gescheiden)\"."
#define MSG_BAD_UTF8                                                                               \
    "Het bestand begint als UTF-8, maar regel %d bevat tekens die geen UTF-8 zijn. Sla het "       \
    "opnieuw op als \"CSV UTF-8\"."
#define MSG_NOT_CP1252                                                                             \
    "Regel %d bevat tekens die geen UTF-8 en geen Windows-1252 zijn. Sla het bestand in Excel "    \
    "op als \"CSV UTF-8 (door lijstscheidingsteken gescheiden)\"."
#define MSG_UNCLOSED "Regel %d: een aanhalingsteken (\") wordt niet gesloten."
#define MSG_AFTER_QUOTE                                                                            \
    "Regel %d: na een afsluitend aanhalingsteken (\") staat nog tekst in hetzelfde veld."
#define MSG_FIELD_LONG "Regel %d: een veld is langer dan %zu tekens."
#define MSG_FIELDS "Regel %d heeft meer dan %zu velden."
#define MSG_ROWS                                                                                   \
    "Het bestand heeft meer dan %zu regels met gegevens. Splits het in kleinere bestanden."
#define MSG_TOO_BIG "Het bestand is groter dan %s. Splits het in kleinere bestanden."

/* Windows-1252's 0x80..0x9F (0: not defined); 0xA0..0xFF are Latin-1. */
static const unsigned short cp1252_high[32] = {
    0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0,      0x017D, 0,      0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178,
};

const char *csvr_encoding_name(csvr_encoding e)
{
    switch (e) {
    case CSVR_UTF8_BOM:
        return "UTF-8 met BOM";
    case CSVR_CP1252:
        return "Windows-1252";
    default:
        return "UTF-8";
    }
}

/* The line (from 1) that byte `at` is on; CRLF, CR and LF each end one. */
static int line_of(const unsigned char *p, size_t at)
{
    int line = 1;
    for (size_t i = 0; i < at; i++)
        if (p[i] == '\n' || (p[i] == '\r' && (i + 1 >= at || p[i + 1] != '\n'))) line++;
    return line;
}

static void put_utf8(buf *b, unsigned cp)
{
    if (cp < 0x80) {
        buf_putc(b, (char)cp);
    } else if (cp < 0x800) {
        buf_putc(b, (char)(0xC0 | (cp >> 6)));
        buf_putc(b, (char)(0x80 | (cp & 0x3F)));
    } else {
        buf_putc(b, (char)(0xE0 | (cp >> 12)));
        buf_putc(b, (char)(0x80 | ((cp >> 6) & 0x3F)));
        buf_putc(b, (char)(0x80 | (cp & 0x3F)));
    }
}

/* Windows-1252 to UTF-8; NULL with *bad set at a byte it does not define. */
static char *from_cp1252(arena *a, const unsigned char *p, size_t n, size_t *outlen, size_t *bad)
{
    buf b;
    buf_init(&b, a, n + n / 8 + 16);
    for (size_t i = 0; i < n; i++) {
        unsigned cp = p[i];
        if (cp >= 0x80 && cp < 0xA0) cp = cp1252_high[cp - 0x80];
        if (!cp) {
            *bad = i;
            return NULL;
        }
        put_utf8(&b, cp);
    }
    *outlen = b.len;
    return b.data;
}

static const char *size_text(arena *a, size_t bytes)
{
    if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) == 0)
        return arena_printf(a, "%zu MB", bytes / (1024 * 1024));
    return arena_printf(a, "%zu kB", (bytes + 1023) / 1024);
}

/* Binary content: NUL or a control byte other than TAB, CR, LF. */
static int binary(const unsigned char *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if ((p[i] < 0x20 && p[i] != '\t' && p[i] != '\r' && p[i] != '\n') || p[i] == 0x7F) return 1;
    return 0;
}

/* Checks the bytes and gives the text as UTF-8 without BOM in *text. */
static const char *decode(arena *a, const unsigned char *p, size_t n, csvr_table *t,
                          const char **text, size_t *tlen)
{
    if (n >= 4 && memcmp(p, "PK\x03\x04", 4) == 0) return MSG_ZIP;
    if (n >= 2 && ((p[0] == 0xFF && p[1] == 0xFE) || (p[0] == 0xFE && p[1] == 0xFF)))
        return MSG_UTF16;
    if (binary(p, n)) return MSG_BINARY;
    if (n >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0) {
        size_t bad = utf8_valid_prefix((const char *)p + 3, n - 3);
        if (bad < n - 3) return arena_printf(a, MSG_BAD_UTF8, line_of(p, bad + 3));
        t->encoding = CSVR_UTF8_BOM;
        *text = (const char *)p + 3;
        *tlen = n - 3;
        return NULL;
    }
    if (utf8_valid((const char *)p, n)) {
        t->encoding = CSVR_UTF8;
        *text = (const char *)p;
        *tlen = n;
        return NULL;
    }
    size_t bad = 0;
    char *conv = from_cp1252(a, p, n, tlen, &bad);
    if (!conv) return arena_printf(a, MSG_NOT_CP1252, line_of(p, bad));
    t->encoding = CSVR_CP1252;
    *text = conv;
    return NULL;
}

/* The separator: ';' or ',', whichever the first line that is not empty
 * has more of outside quotes (';' when equal). */
static char detect_sep(const char *s, size_t n)
{
    size_t i = 0, semi = 0, comma = 0;
    while (i < n && (s[i] == '\r' || s[i] == '\n'))
        i++;
    int quoted = 0;
    for (; i < n; i++) {
        char c = s[i];
        if (c == '"')
            quoted = !quoted;
        else if (!quoted && (c == '\r' || c == '\n'))
            break;
        else if (!quoted && c == ';')
            semi++;
        else if (!quoted && c == ',')
            comma++;
    }
    return comma > semi ? ',' : ';';
}

typedef struct reader {
    arena *a;
    const char *s;
    size_t n, i;
    int line;
    char sep;
    const csvr_limits *lim;
    buf field;
    const char **scratch; /* the record's fields so far */
    size_t cap;
    const char *err;
} reader;

static int fail(reader *r, const char *msg)
{
    r->err = msg;
    return -1;
}

/* One quoted field, the opening quote at r->i; the text goes to r->field. */
static int read_quoted(reader *r)
{
    int start = r->line;
    r->i++;
    for (;;) {
        if (r->i >= r->n) return fail(r, arena_printf(r->a, MSG_UNCLOSED, start));
        char c = r->s[r->i];
        if (c == '"') {
            if (r->i + 1 < r->n && r->s[r->i + 1] == '"') {
                buf_putc(&r->field, '"');
                r->i += 2;
                continue;
            }
            r->i++;
            break;
        }
        if (c == '\n' || (c == '\r' && (r->i + 1 >= r->n || r->s[r->i + 1] != '\n'))) r->line++;
        buf_putc(&r->field, c);
        r->i++;
    }
    /* spaces after the closing quote are harmless; anything else is not */
    while (r->i < r->n && (r->s[r->i] == ' ' || r->s[r->i] == '\t'))
        r->i++;
    if (r->i < r->n && r->s[r->i] != r->sep && r->s[r->i] != '\r' && r->s[r->i] != '\n')
        return fail(r, arena_printf(r->a, MSG_AFTER_QUOTE, r->line));
    return 0;
}

static int push_field(reader *r, size_t *nf)
{
    if (r->field.len > r->lim->max_field)
        return fail(r, arena_printf(r->a, MSG_FIELD_LONG, r->line, r->lim->max_field));
    if (*nf >= r->lim->max_fields)
        return fail(r, arena_printf(r->a, MSG_FIELDS, r->line, r->lim->max_fields));
    if (*nf == r->cap) {
        size_t cap = r->cap ? r->cap * 2 : 16;
        const char **grown = arena_alloc(r->a, cap * sizeof *grown);
        if (*nf) memcpy(grown, r->scratch, *nf * sizeof *grown);
        r->scratch = grown;
        r->cap = cap;
    }
    r->scratch[(*nf)++] = arena_strndup(r->a, r->field.data, r->field.len);
    return 0;
}

/* The next record: 1, 0 at the end of the text, -1 with r->err. */
static int read_record(reader *r, csvr_record *rec)
{
    if (r->i >= r->n) return 0;
    rec->line = r->line;
    size_t nf = 0;
    for (;;) {
        r->field.len = 0;
        if (r->i < r->n && r->s[r->i] == '"') {
            if (read_quoted(r) != 0) return -1;
        } else {
            size_t from = r->i;
            while (r->i < r->n && r->s[r->i] != r->sep && r->s[r->i] != '\r' && r->s[r->i] != '\n')
                r->i++;
            buf_add(&r->field, r->s + from, r->i - from);
        }
        if (push_field(r, &nf) != 0) return -1;
        if (r->i < r->n && r->s[r->i] == r->sep) {
            r->i++;
            continue;
        }
        if (r->i < r->n) { /* a line break ends the record */
            r->i += (r->s[r->i] == '\r' && r->i + 1 < r->n && r->s[r->i + 1] == '\n') ? 2 : 1;
            r->line++;
        }
        break;
    }
    rec->n = nf;
    rec->f = arena_alloc(r->a, nf * sizeof *rec->f);
    memcpy(rec->f, r->scratch, nf * sizeof *rec->f);
    return 1;
}

static int blank(const csvr_record *rec)
{
    for (size_t i = 0; i < rec->n; i++)
        if (rec->f[i][0]) return 0;
    return 1;
}

const char *csvr_read(arena *a, const char *data, size_t len, const csvr_limits *lim, csvr_table *t)
{
    memset(t, 0, sizeof *t);
    if (len > lim->max_bytes) return arena_printf(a, MSG_TOO_BIG, size_text(a, lim->max_bytes));
    const char *text = NULL;
    size_t tlen = 0;
    const char *err = decode(a, (const unsigned char *)data, len, t, &text, &tlen);
    if (err) return err;
    reader r = {.a = a, .s = text, .n = tlen, .line = 1, .lim = lim};
    r.sep = t->sep = detect_sep(text, tlen);
    buf_init(&r.field, a, 64);
    size_t cap = 0;
    int have_header = 0, rc;
    csvr_record rec;
    while ((rc = read_record(&r, &rec)) == 1) {
        if (blank(&rec)) continue;
        if (!have_header) {
            t->header = rec;
            have_header = 1;
            continue;
        }
        if (t->nrows == lim->max_rows) return arena_printf(a, MSG_ROWS, lim->max_rows);
        if (t->nrows == cap) {
            cap = cap ? cap * 2 : 64;
            csvr_record *grown = arena_alloc(a, cap * sizeof *grown);
            if (t->nrows) memcpy(grown, t->rows, t->nrows * sizeof *grown);
            t->rows = grown;
        }
        t->rows[t->nrows++] = rec;
    }
    if (rc < 0) return r.err;
    return have_header ? NULL : MSG_EMPTY;
}
