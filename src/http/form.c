/* form.c - see form.h.
 *
 * All parsers work on (pointer, length) and never look past the length:
 * request bodies are not NUL-terminated. Decoded strings are copied into
 * the arena and NUL-terminated there.
 */
#include "http/form.h"

#include <string.h>

#include "core/utf8.h"

const form_limits form_default_limits = {64, 64, 8192, 5 * 1024 * 1024};
const form_limits form_many_limits = {FORM_MANY_FIELDS, 64, 8192, 5 * 1024 * 1024};

/* The header block of one multipart part (Content-Disposition and
 * Content-Type, in practice well under 1 KiB). Bounded so a part cannot
 * make us scan a whole body looking for the end of its headers. */
enum { PART_HEADER_MAX = 4096 };

/* RFC 2046: a boundary is 1 to 70 characters. */
enum { BOUNDARY_MAX = 70 };

/* ---- UTF-8 and text checks ---- */

/* A text value: valid UTF-8 without NUL bytes. */
static int text_ok(const char *s, size_t n)
{
    return utf8_valid(s, n) && (n == 0 || !memchr(s, 0, n));
}

static int hex_value(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

int form_url_decode(arena *a, const char *s, size_t n, int plus_space, char **out, size_t *outlen)
{
    char *d = arena_alloc(a, n + 1);
    size_t j = 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c == '%') {
            if (n - i < 3) return FORM_MALFORMED;
            int hi = hex_value(s[i + 1]), lo = hex_value(s[i + 2]);
            if (hi < 0 || lo < 0) return FORM_MALFORMED;
            c = (char)(hi * 16 + lo);
            i += 2;
        } else if (c == '+' && plus_space) {
            c = ' ';
        }
        d[j++] = c;
    }
    d[j] = '\0';
    if (!text_ok(d, j)) return FORM_MALFORMED;
    *out = d;
    if (outlen) *outlen = j;
    return FORM_OK;
}

/* ---- application/x-www-form-urlencoded ---- */

/* Decodes one "name=value" pair. Returns 1 with name/value set, 0 for a
 * pair without a name ("=x" has nothing to file the value under, so it is
 * skipped like an empty pair), or a negative FORM_* code. */
static int decode_pair(arena *a, const char *p, size_t n, const form_limits *lim, kv *pair)
{
    const char *eq = memchr(p, '=', n);
    size_t name_raw = eq ? (size_t)(eq - p) : n;
    if (name_raw == 0) return 0;
    char *name, *value = NULL;
    size_t name_len, value_len = 0;
    int rc = form_url_decode(a, p, name_raw, 1, &name, &name_len);
    if (rc != FORM_OK) return rc;
    rc = form_url_decode(a, eq ? eq + 1 : p, eq ? n - name_raw - 1 : 0, 1, &value, &value_len);
    if (rc != FORM_OK) return rc;
    if (name_len > lim->max_name || value_len > lim->max_value) return FORM_TOO_LONG;
    pair->name = name;
    pair->value = value;
    pair->len = value_len;
    return 1;
}

int form_parse_urlencoded(arena *a, const char *data, size_t len, const form_limits *lim,
                          kvlist *out)
{
    size_t count = 0, i = 0;
    while (i < len) {
        const char *amp = memchr(data + i, '&', len - i);
        size_t end = amp ? (size_t)(amp - data) : len;
        kv pair = {NULL, NULL, 0};
        int rc = end > i ? decode_pair(a, data + i, end - i, lim, &pair) : 0;
        if (rc < 0) return rc;
        if (rc == 1) {
            if (count == lim->max_fields) return FORM_TOO_MANY;
            kv_add_ref(out, a, pair.name, pair.value, pair.len);
            count++;
        }
        i = end + 1;
    }
    return FORM_OK;
}

/* ---- multipart/form-data ---- */

static int lower(int c)
{
    return (c >= 'A' && c <= 'Z') ? c + ('a' - 'A') : c;
}

/* Case-insensitive comparison of s[0..n) with the C string lit. */
static int span_ieq(const char *s, size_t n, const char *lit)
{
    size_t m = strlen(lit);
    if (n != m) return 0;
    for (size_t i = 0; i < n; i++)
        if (lower((unsigned char)s[i]) != lower((unsigned char)lit[i])) return 0;
    return 1;
}

static int is_ws(char c)
{
    return c == ' ' || c == '\t';
}

/* A string span: header values are not NUL-terminated in the body. */
typedef struct span {
    const char *p;
    size_t n;
} span;

static span span_trim(span s)
{
    size_t lead = 0;
    while (lead < s.n && is_ws(s.p[lead]))
        lead++;
    s.p += lead;
    s.n -= lead;
    while (s.n && is_ws(s.p[s.n - 1]))
        s.n--;
    return s;
}

/* Finds parameter `name` in a header value of the form
 * "type; a=b; c="d"", skipping the leading type. Quoted values run to the
 * next '"': browsers escape a quote in a name or filename as %22 and do not
 * escape backslashes, so treating '\' as an escape would mangle Windows
 * paths. Returns 1 and the value if found, 0 if absent, -1 if malformed. */
static int header_param(span hv, const char *name, span *val)
{
    const char *p = hv.p, *end = hv.p + hv.n;
    const char *semi = memchr(p, ';', hv.n);
    if (!semi) return 0;
    p = semi + 1;
    while (p < end) {
        while (p < end && (is_ws(*p) || *p == ';'))
            p++;
        const char *key = p;
        while (p < end && *p != '=' && *p != ';')
            p++;
        span k = span_trim((span){key, (size_t)(p - key)});
        if (p == end || *p == ';') continue; /* a bare token: ignore it */
        p++;                                 /* '=' */
        while (p < end && is_ws(*p))
            p++;
        span v;
        if (p < end && *p == '"') {
            const char *q = memchr(p + 1, '"', (size_t)(end - p - 1));
            if (!q) return -1;
            v = (span){p + 1, (size_t)(q - p - 1)};
            p = q + 1;
            while (p < end && is_ws(*p))
                p++;
            if (p < end && *p != ';') return -1;
        } else {
            const char *start = p;
            while (p < end && *p != ';')
                p++;
            v = span_trim((span){start, (size_t)(p - start)});
        }
        if (span_ieq(k.p, k.n, name)) {
            *val = v;
            return 1;
        }
    }
    return 0;
}

/* The boundary from "multipart/form-data; boundary=...". */
static int content_type_boundary(const char *ct, span *boundary)
{
    if (!ct) return FORM_MALFORMED;
    span hv = {ct, strlen(ct)};
    const char *semi = memchr(hv.p, ';', hv.n);
    span type = span_trim((span){hv.p, semi ? (size_t)(semi - hv.p) : hv.n});
    if (!span_ieq(type.p, type.n, "multipart/form-data")) return FORM_MALFORMED;
    if (header_param(hv, "boundary", boundary) != 1) return FORM_MALFORMED;
    if (boundary->n == 0 || boundary->n > BOUNDARY_MAX) return FORM_MALFORMED;
    return FORM_OK;
}

/* What we keep from a part's headers. */
typedef struct part_info {
    span name, filename, content_type;
    int has_name, has_filename, has_type;
} part_info;

static int parse_disposition(span hv, part_info *pi)
{
    const char *semi = memchr(hv.p, ';', hv.n);
    span type = span_trim((span){hv.p, semi ? (size_t)(semi - hv.p) : hv.n});
    if (!span_ieq(type.p, type.n, "form-data")) return FORM_MALFORMED;
    int rc = header_param(hv, "name", &pi->name);
    if (rc < 0) return FORM_MALFORMED;
    pi->has_name = rc;
    rc = header_param(hv, "filename", &pi->filename);
    if (rc < 0) return FORM_MALFORMED;
    pi->has_filename = rc;
    return FORM_OK;
}

/* One "Name: value" line of a part header block. Unknown headers are
 * ignored; a line without a colon is malformed. */
static int parse_header_line(span line, part_info *pi)
{
    const char *colon = memchr(line.p, ':', line.n);
    if (!colon || colon == line.p) return FORM_MALFORMED;
    span name = {line.p, (size_t)(colon - line.p)};
    span value = span_trim((span){colon + 1, line.n - name.n - 1});
    if (span_ieq(name.p, name.n, "content-disposition")) return parse_disposition(value, pi);
    if (span_ieq(name.p, name.n, "content-type")) {
        pi->content_type = value;
        pi->has_type = 1;
    }
    return FORM_OK;
}

/* Parses the header block hdr (without its final empty line). */
static int parse_part_headers(span hdr, part_info *pi)
{
    memset(pi, 0, sizeof(*pi));
    const char *p = hdr.p, *end = hdr.p + hdr.n;
    while (p < end) {
        const char *eol = memmem(p, (size_t)(end - p), "\r\n", 2);
        const char *stop = eol ? eol : end;
        int rc = parse_header_line((span){p, (size_t)(stop - p)}, pi);
        if (rc != FORM_OK) return rc;
        p = eol ? eol + 2 : end;
    }
    return FORM_OK;
}

/* Browsers used to send the full client path ("C:\Users\x\cv.pdf"). */
static span strip_path(span f)
{
    for (size_t i = f.n; i > 0; i--)
        if (f.p[i - 1] == '/' || f.p[i - 1] == '\\') return (span){f.p + i, f.n - i};
    return f;
}

static void uploads_add(uploads *l, arena *a, const upload *u)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 4;
        upload *v = arena_alloc(a, cap * sizeof(*v));
        if (l->n) memcpy(v, l->v, l->n * sizeof(*v));
        l->v = v;
        l->cap = cap;
    }
    l->v[l->n++] = *u;
}

static int store_file(arena *a, const part_info *pi, span body, const form_limits *lim,
                      uploads *files)
{
    span fname = strip_path(pi->filename);
    /* An empty file input is sent as filename="" with no content: the user
     * chose no file, so there is nothing to hand over. */
    if (fname.n == 0 && body.n == 0) return FORM_OK;
    if (body.n > lim->max_file) return FORM_TOO_LONG;
    if (!text_ok(fname.p, fname.n)) return FORM_MALFORMED;
    if (pi->has_type && !text_ok(pi->content_type.p, pi->content_type.n)) return FORM_MALFORMED;
    upload u;
    u.field = arena_strndup(a, pi->name.p, pi->name.n);
    u.filename = arena_strndup(a, fname.p, fname.n);
    u.content_type = pi->has_type && pi->content_type.n
                         ? arena_strndup(a, pi->content_type.p, pi->content_type.n)
                         : "application/octet-stream";
    /* Copied: the caller's body buffer may not outlive the request arena. */
    char *d = arena_alloc(a, body.n + 1);
    if (body.n) memcpy(d, body.p, body.n);
    d[body.n] = '\0';
    u.data = d;
    u.len = body.n;
    uploads_add(files, a, &u);
    return FORM_OK;
}

static int store_part(arena *a, const part_info *pi, span body, const form_limits *lim,
                      kvlist *fields, uploads *files)
{
    if (!pi->has_name || pi->name.n == 0) return FORM_MALFORMED;
    if (pi->name.n > lim->max_name) return FORM_TOO_LONG;
    if (!text_ok(pi->name.p, pi->name.n)) return FORM_MALFORMED;
    if (pi->has_filename) return store_file(a, pi, body, lim, files);
    if (body.n > lim->max_value) return FORM_TOO_LONG;
    if (!text_ok(body.p, body.n)) return FORM_MALFORMED;
    kv_add(fields, a, arena_strndup(a, pi->name.p, pi->name.n), body.p, body.n);
    return FORM_OK;
}

/* After "--boundary": either "--" (the close delimiter) or optional
 * transport padding and CRLF. Sets *pos past it; returns 1 for the close
 * delimiter, 0 for a part delimiter, FORM_MALFORMED otherwise. */
static int after_delimiter(const char *data, size_t len, size_t *pos)
{
    size_t i = *pos;
    if (len - i >= 2 && data[i] == '-' && data[i + 1] == '-') return 1;
    while (i < len && is_ws(data[i]))
        i++;
    if (len - i < 2 || data[i] != '\r' || data[i + 1] != '\n') return FORM_MALFORMED;
    *pos = i + 2;
    return 0;
}

/* Position just after the first "--boundary", which starts the body or
 * follows the preamble's CRLF. */
static int first_delimiter(const char *data, size_t len, span b, size_t *pos)
{
    if (len >= b.n + 2 && data[0] == '-' && data[1] == '-' && memcmp(data + 2, b.p, b.n) == 0) {
        *pos = b.n + 2;
        return FORM_OK;
    }
    /* delim is "\r\n--" + boundary; b.n is at most BOUNDARY_MAX */
    char delim[BOUNDARY_MAX + 4];
    memcpy(delim, "\r\n--", 4);
    memcpy(delim + 4, b.p, b.n);
    const char *hit = memmem(data, len, delim, b.n + 4);
    if (!hit) return FORM_MALFORMED;
    *pos = (size_t)(hit - data) + b.n + 4;
    return FORM_OK;
}

/* Splits off the header block of the part at data[*pos..len). */
static int part_headers(const char *data, size_t len, size_t *pos, span *hdr)
{
    size_t i = *pos;
    if (len - i >= 2 && data[i] == '\r' && data[i + 1] == '\n') {
        *hdr = (span){data + i, 0}; /* no headers at all */
        *pos = i + 2;
        return FORM_OK;
    }
    size_t window = len - i;
    if (window > PART_HEADER_MAX + 4) window = PART_HEADER_MAX + 4;
    const char *end = memmem(data + i, window, "\r\n\r\n", 4);
    if (!end) return window < len - i ? FORM_TOO_LONG : FORM_MALFORMED;
    *hdr = (span){data + i, (size_t)(end - (data + i))};
    if (hdr->n > PART_HEADER_MAX) return FORM_TOO_LONG;
    *pos = (size_t)(end - data) + 4;
    return FORM_OK;
}

int form_parse_multipart(arena *a, const char *content_type, const char *data, size_t len,
                         const form_limits *lim, kvlist *fields, uploads *files)
{
    span b;
    int rc = content_type_boundary(content_type, &b);
    if (rc != FORM_OK) return rc;
    char delim[BOUNDARY_MAX + 4];
    memcpy(delim, "\r\n--", 4);
    memcpy(delim + 4, b.p, b.n);
    size_t dlen = b.n + 4;

    size_t pos;
    rc = first_delimiter(data, len, b, &pos);
    if (rc != FORM_OK) return rc;
    size_t count = 0;
    for (;;) {
        rc = after_delimiter(data, len, &pos);
        if (rc == 1) return FORM_OK; /* the epilogue is ignored */
        if (rc != 0) return rc;
        if (count == lim->max_fields) return FORM_TOO_MANY;
        count++;
        span hdr;
        rc = part_headers(data, len, &pos, &hdr);
        if (rc != FORM_OK) return rc;
        part_info pi;
        rc = parse_part_headers(hdr, &pi);
        if (rc != FORM_OK) return rc;
        const char *next = memmem(data + pos, len - pos, delim, dlen);
        if (!next) return FORM_MALFORMED; /* no closing boundary */
        span body = {data + pos, (size_t)(next - (data + pos))};
        rc = store_part(a, &pi, body, lim, fields, files);
        if (rc != FORM_OK) return rc;
        pos = (size_t)(next - data) + dlen;
    }
}

/* ---- Cookie header ---- */

/* RFC 6265 token characters for the cookie name. */
static int is_token_char(unsigned char c)
{
    if (c <= 0x20 || c >= 0x7F) return 0;
    return strchr("()<>@,;:\\\"/[]?={}", c) == NULL;
}

/* RFC 6265 cookie-octet: printable ASCII except space " , ; \ */
static int is_cookie_octet(unsigned char c)
{
    return c > 0x20 && c < 0x7F && c != '"' && c != ',' && c != ';' && c != '\\';
}

static int all_chars(span s, int (*ok)(unsigned char))
{
    for (size_t i = 0; i < s.n; i++)
        if (!ok((unsigned char)s.p[i])) return 0;
    return 1;
}

/* One "name=value" pair; returns 1 if it is well-formed and within limits. */
static int cookie_pair(span pair, const form_limits *lim, span *name, span *value)
{
    const char *eq = memchr(pair.p, '=', pair.n);
    if (!eq) return 0;
    *name = span_trim((span){pair.p, (size_t)(eq - pair.p)});
    *value = span_trim((span){eq + 1, pair.n - (size_t)(eq - pair.p) - 1});
    if (value->n >= 2 && value->p[0] == '"' && value->p[value->n - 1] == '"')
        *value = (span){value->p + 1, value->n - 2};
    if (name->n == 0 || name->n > lim->max_name || value->n > lim->max_value) return 0;
    return all_chars(*name, is_token_char) && all_chars(*value, is_cookie_octet);
}

int form_parse_cookies(arena *a, const char *header, const form_limits *lim, kvlist *out)
{
    if (!header) return FORM_OK;
    size_t count = 0;
    const char *p = header;
    for (;;) {
        const char *semi = strchr(p, ';');
        size_t n = semi ? (size_t)(semi - p) : strlen(p);
        span name, value;
        if (cookie_pair((span){p, n}, lim, &name, &value)) {
            if (count == lim->max_fields) return FORM_TOO_MANY;
            kv_add_ref(out, a, arena_strndup(a, name.p, name.n), arena_strndup(a, value.p, value.n),
                       value.n);
            count++;
        }
        if (!semi) return FORM_OK;
        p = semi + 1;
    }
}
