/* request.c - small helpers over http_req / http_resp (see http.h). */
#include <microhttpd.h>
#include <stdio.h>
#include <string.h>

#include "db/db.h"
#include "http/http.h"

const char *req_param(const http_req *rq, const char *name)
{
    return kv_get(&rq->params, name);
}

const char *req_in(const http_req *rq, const char *name)
{
    return kv_get(&rq->in, name);
}

size_t req_in_all(const http_req *rq, const char *name, const char **out, size_t max)
{
    size_t n = 0;
    for (size_t i = 0; i < rq->in.n; i++) {
        if (strcmp(rq->in.v[i].name, name) != 0) continue;
        if (n < max) out[n] = rq->in.v[i].value;
        n++;
    }
    return n;
}

const char *req_header(const http_req *rq, const char *name)
{
    if (!rq->conn) return NULL;
    return MHD_lookup_connection_value((struct MHD_Connection *)rq->conn, MHD_HEADER_KIND, name);
}

struct db_conn *req_db(http_req *rq)
{
    if (!rq->db_conn) rq->db_conn = db_acquire_wait(rq->site->db, rq->site->db_wait_ms);
    return rq->db_conn;
}

void resp_header(http_resp *rs, arena *a, const char *name, const char *value)
{
    kv_set(&rs->headers, a, name, value);
}

void resp_add_header(http_resp *rs, arena *a, const char *name, const char *value)
{
    kv_add(&rs->headers, a, name, value, strlen(value));
}

void req_defer(http_req *rq, void (*fn)(void *arg), void *arg)
{
    rq->defer_fn = fn;
    rq->defer_arg = arg;
}

void resp_redirect(http_resp *rs, arena *a, int status, const char *location)
{
    rs->status = status;
    resp_header(rs, a, "Location", http_location_encode(a, location));
    rs->content_type = "text/plain; charset=utf-8";
}

void resp_text(http_resp *rs, int status, const char *text)
{
    rs->status = status;
    rs->content_type = "text/plain; charset=utf-8";
    rs->body.len = 0;
    buf_puts(&rs->body, text);
}

static int log_unsafe(unsigned char ch)
{
    return ch < 0x20 || ch == 0x7f || ch == '\\';
}

const char *http_log_safe(arena *a, const char *s)
{
    if (!s) return "";
    size_t n = 0, bad = 0;
    for (; s[n]; n++)
        bad += log_unsafe((unsigned char)s[n]);
    if (!bad) return s;
    char *out = arena_alloc(a, n + bad * 3 + 1), *o = out;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (log_unsafe(*p))
            o += sprintf(o, "\\x%02x", *p);
        else
            *o++ = (char)*p;
    }
    *o = '\0';
    return out;
}

static int is_hex(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/* Whether the byte at s[i] must be percent-encoded in a Location. */
static int location_unsafe(const char *s, size_t i)
{
    unsigned char ch = (unsigned char)s[i];
    if (ch <= 0x20 || ch >= 0x7f) return 1;
    return ch == '%' && !(is_hex(s[i + 1]) && is_hex(s[i + 2]));
}

const char *http_location_encode(arena *a, const char *s)
{
    size_t n = 0, bad = 0;
    for (; s[n]; n++)
        bad += location_unsafe(s, n);
    if (!bad) return s;
    static const char hex[] = "0123456789ABCDEF";
    char *out = arena_alloc(a, n + bad * 2 + 1), *o = out;
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)s[i];
        if (location_unsafe(s, i)) {
            *o++ = '%';
            *o++ = hex[ch >> 4];
            *o++ = hex[ch & 15];
        } else {
            *o++ = (char)ch;
        }
    }
    *o = '\0';
    return out;
}
