/* filetype.c - see filetype.h */
#include "core/filetype.h"

#include <string.h>
#include <strings.h>

#include "core/utf8.h"

static unsigned rd16(const unsigned char *p)
{
    return (unsigned)p[0] | (unsigned)p[1] << 8;
}

static unsigned long rd32(const unsigned char *p)
{
    return (unsigned long)p[0] | (unsigned long)p[1] << 8 | (unsigned long)p[2] << 16 |
           (unsigned long)p[3] << 24;
}

static int starts(const char *name, size_t n, const char *prefix)
{
    size_t k = strlen(prefix);
    return n >= k && memcmp(name, prefix, k) == 0;
}

/* An Office Open XML package: a ZIP whose central directory (found through
 * the end record, in the last 64 KiB + 22 bytes) names [Content_Types].xml
 * and the parts of one application. Every offset is checked against len. */
static filetype_kind ooxml(const unsigned char *d, size_t len)
{
    if (len < 22) return FT_UNKNOWN;
    size_t lowest = len > 22 + 65535 ? len - 22 - 65535 : 0;
    size_t eocd = (size_t)-1;
    for (size_t i = len - 22 + 1; i-- > lowest;)
        if (memcmp(d + i, "PK\x05\x06", 4) == 0) {
            eocd = i;
            break;
        }
    if (eocd == (size_t)-1) return FT_UNKNOWN;
    unsigned entries = rd16(d + eocd + 10);
    unsigned long cd_size = rd32(d + eocd + 12), cd_off = rd32(d + eocd + 16);
    if (cd_off > eocd || cd_size > eocd - cd_off) return FT_UNKNOWN;
    int types = 0, word = 0, xl = 0, ppt = 0;
    size_t p = cd_off, end = cd_off + cd_size;
    for (unsigned i = 0; i < entries; i++) {
        if (end - p < 46 || memcmp(d + p, "PK\x01\x02", 4) != 0) return FT_UNKNOWN;
        size_t nlen = rd16(d + p + 28), xlen = rd16(d + p + 30), clen = rd16(d + p + 32);
        if (end - p - 46 < nlen + xlen + clen) return FT_UNKNOWN;
        const char *name = (const char *)d + p + 46;
        types |= nlen == 19 && memcmp(name, "[Content_Types].xml", 19) == 0;
        word |= starts(name, nlen, "word/");
        xl |= starts(name, nlen, "xl/");
        ppt |= starts(name, nlen, "ppt/");
        p += 46 + nlen + xlen + clen;
    }
    if (!types || word + xl + ppt != 1) return FT_UNKNOWN;
    return word ? FT_DOCX : xl ? FT_XLSX : FT_PPTX;
}

/* UTF-8 text (a byte order mark allowed) of printable characters, tabs and
 * line ends, not starting with markup. */
static int plain_text(const unsigned char *d, size_t len)
{
    size_t i = 0;
    if (len >= 3 && memcmp(d, "\xEF\xBB\xBF", 3) == 0) i = 3;
    if (i == len) return 0;
    size_t first = i;
    while (first < len &&
           (d[first] == ' ' || d[first] == '\t' || d[first] == '\r' || d[first] == '\n'))
        first++;
    if (first < len && d[first] == '<') return 0;
    while (i < len) {
        size_t n;
        long cp = utf8_next(d + i, len - i, &n);
        if (cp < 0) return 0;
        if ((cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r' && cp != '\f') || cp == 0x7F ||
            (cp >= 0x80 && cp < 0xA0))
            return 0;
        i += n;
    }
    return 1;
}

filetype_kind filetype_sniff(const void *data, size_t len)
{
    const unsigned char *d = data;
    if (!d || len == 0) return FT_UNKNOWN;
    if (len >= 5 && memcmp(d, "%PDF-", 5) == 0) return FT_PDF;
    if (len >= 8 && memcmp(d, "\x89PNG\r\n\x1a\n", 8) == 0) return FT_PNG;
    if (len >= 4 && d[0] == 0xFF && d[1] == 0xD8 && d[2] == 0xFF) return FT_JPEG;
    if (len >= 4 && memcmp(d, "PK\x03\x04", 4) == 0) return ooxml(d, len);
    return plain_text(d, len) ? FT_TEXT : FT_UNKNOWN;
}

static const struct {
    const char *ext;
    filetype_kind kind;
    const char *type;
} exts[] = {
    {"pdf", FT_PDF, "application/pdf"},
    {"png", FT_PNG, "image/png"},
    {"jpg", FT_JPEG, "image/jpeg"},
    {"jpeg", FT_JPEG, "image/jpeg"},
    {"txt", FT_TEXT, "text/plain; charset=utf-8"},
    {"csv", FT_TEXT, "text/csv; charset=utf-8"},
    {"docx", FT_DOCX, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"},
    {"xlsx", FT_XLSX, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
    {"pptx", FT_PPTX, "application/vnd.openxmlformats-officedocument.presentationml.presentation"},
};

static int ext_index(const char *name)
{
    const char *dot = name ? strrchr(name, '.') : NULL;
    if (!dot) return -1;
    for (size_t i = 0; i < sizeof exts / sizeof exts[0]; i++)
        if (strcasecmp(dot + 1, exts[i].ext) == 0) return (int)i;
    return -1;
}

filetype_kind filetype_of_name(const char *name)
{
    int i = ext_index(name);
    return i < 0 ? FT_UNKNOWN : exts[i].kind;
}

const char *filetype_content_type(filetype_kind k, const char *name)
{
    int i = ext_index(name);
    if (i >= 0 && exts[i].kind == k) return exts[i].type;
    for (size_t j = 0; j < sizeof exts / sizeof exts[0]; j++)
        if (exts[j].kind == k) return exts[j].type;
    return NULL;
}

const char *filetype_label(filetype_kind k)
{
    switch (k) {
    case FT_PDF:
        return "PDF-bestand";
    case FT_PNG:
        return "PNG-afbeelding";
    case FT_JPEG:
        return "JPEG-afbeelding";
    case FT_TEXT:
        return "tekstbestand";
    case FT_DOCX:
        return "Word-document";
    case FT_XLSX:
        return "Excel-werkmap";
    case FT_PPTX:
        return "PowerPoint-presentatie";
    case FT_UNKNOWN:
        break;
    }
    return "onbekend bestand";
}

/* A character that never belongs in a shown file name: controls and the
 * bidirectional overrides that make "gpj.exe" look like "exe.jpg". */
static int unwanted(long cp)
{
    return cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0) || (cp >= 0x202A && cp <= 0x202E) ||
           (cp >= 0x2066 && cp <= 0x2069) || cp == 0x200E || cp == 0x200F;
}

char *filetype_clean_name(arena *a, const char *name)
{
    if (!name) name = "";
    const char *base = name;
    for (const char *p = name; *p; p++)
        if (*p == '/' || *p == '\\') base = p + 1;
    size_t n = strlen(base), o = 0;
    char *out = arena_alloc(a, n + 1);
    for (size_t i = 0; i < n;) {
        size_t k;
        long cp = utf8_next((const unsigned char *)base + i, n - i, &k);
        if (cp < 0) {
            i++;
            continue;
        }
        if (!unwanted(cp) && !(o == 0 && (cp == '.' || cp == ' '))) {
            memcpy(out + o, base + i, k);
            o += k;
        }
        i += k;
    }
    while (o > 0 && out[o - 1] == ' ')
        o--;
    out[o] = '\0';
    if (o == 0) return arena_strdup(a, "bijlage");
    if (o <= FILETYPE_NAME_MAX) return out;
    /* keep a short extension: the name must still say what it is */
    const char *dot = strrchr(out, '.');
    size_t elen = dot && strlen(dot) <= 10 ? strlen(dot) : 0;
    size_t keep = utf8_cut(out, o - elen, FILETYPE_NAME_MAX - elen);
    while (keep > 1 && out[keep - 1] == ' ') /* as the whole name: no space at its end */
        keep--;
    return arena_printf(a, "%.*s%s", (int)keep, out, elen ? dot : "");
}
