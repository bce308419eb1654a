/* request.c - small helpers over http_req / http_resp (see http.h). */
#include <microhttpd.h>
#include <string.h>

#include "app.h"
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

const char *req_header(const http_req *rq, const char *name)
{
    if (!rq->conn) return NULL;
    return MHD_lookup_connection_value((struct MHD_Connection *)rq->conn, MHD_HEADER_KIND, name);
}

struct db_conn *req_db(http_req *rq)
{
    if (!rq->db_conn) rq->db_conn = db_acquire_wait(rq->app->db, rq->app->cfg.db_wait_ms);
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
    resp_header(rs, a, "Location", location);
    rs->content_type = "text/plain; charset=utf-8";
}

void resp_text(http_resp *rs, int status, const char *text)
{
    rs->status = status;
    rs->content_type = "text/plain; charset=utf-8";
    rs->body.len = 0;
    buf_puts(&rs->body, text);
}
