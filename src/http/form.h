/* form.h - pure parsers for what a client sends: percent-decoding, query
 * strings, application/x-www-form-urlencoded and multipart/form-data bodies,
 * and the Cookie header.
 *
 * We parse these ourselves rather than through libmicrohttpd's post
 * processor so that each parser is a pure function over bytes: unit tests
 * and libFuzzer targets can drive it directly, and the limits per field are
 * enforced in one place. The server hands the whole (size-capped) body in.
 *
 * Every parser returns FORM_OK or a negative FORM_* code; on error the
 * output lists may hold the fields parsed so far and must be discarded.
 * Text values never contain NUL bytes and are valid UTF-8; uploaded file
 * contents are binary.
 */
#ifndef KP_FORM_H
#define KP_FORM_H

#include <stddef.h>

#include "core/arena.h"
#include "http/kv.h"

enum {
    FORM_OK = 0,
    FORM_MALFORMED = -1, /* bad escape, NUL byte, invalid UTF-8, broken multipart */
    FORM_TOO_MANY = -2,  /* more than max_fields fields */
    FORM_TOO_LONG = -3,  /* a name or value over its limit */
};

typedef struct form_limits {
    size_t max_fields; /* fields (and files) in total */
    size_t max_name;   /* bytes in a field name, decoded */
    size_t max_value;  /* bytes in a text value, decoded */
    size_t max_file;   /* bytes in one uploaded file */
} form_limits;

/* Sensible defaults: 64 fields, names 64 bytes, values 8 KiB, files 5 MiB. */
extern const form_limits form_default_limits;
/* The same with FORM_MANY_FIELDS fields, for routes flagged RF_MANY_FIELDS. */
#define FORM_MANY_FIELDS 1024
extern const form_limits form_many_limits;

typedef struct upload {
    const char *field;        /* form field name */
    const char *filename;     /* as sent by the browser, path stripped */
    const char *content_type; /* as sent, or "application/octet-stream" */
    const char *data;
    size_t len;
} upload;

typedef struct uploads {
    upload *v;
    size_t n, cap;
} uploads;

/* Percent-decodes s[0..n); with plus_space '+' becomes ' '. Rejects bad
 * escapes, NUL bytes and invalid UTF-8. *out is NUL-terminated. */
int form_url_decode(arena *a, const char *s, size_t n, int plus_space, char **out, size_t *outlen);

/* "a=1&b=2" (also used for query strings). Empty pairs are skipped; a name
 * without '=' gets the empty value. */
int form_parse_urlencoded(arena *a, const char *data, size_t len, const form_limits *lim,
                          kvlist *out);

/* content_type is the full header value, e.g.
 * "multipart/form-data; boundary=----x". Parts with a filename go to files,
 * the others to fields. */
int form_parse_multipart(arena *a, const char *content_type, const char *data, size_t len,
                         const form_limits *lim, kvlist *fields, uploads *files);

/* The Cookie request header: "a=1; b=2". Values may be quoted. Malformed
 * pairs are skipped (browsers send what they were given); at most
 * lim->max_fields cookies are kept. Returns FORM_OK or FORM_TOO_MANY. */
int form_parse_cookies(arena *a, const char *header, const form_limits *lim, kvlist *out);

#endif
