/* stream.c - see stream.h */
#include "http/stream.h"

#include <microhttpd.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"

struct http_stream {
    stream_fill_fn fill;
    void *arg;
};

/* The state of one response being sent. It is allocated apart from the
 * request's arena: libmicrohttpd may free the response after the request
 * is completed and its arena gone. The reader is never called then. */
typedef struct runner {
    http_req *rq;
    http_stream s;
    void (*give_back)(http_req *rq);
    arena *scratch;
    buf out;
    size_t at;
    int done;
} runner;

void resp_stream(http_resp *rs, http_req *rq, stream_fill_fn fill, void *arg)
{
    http_stream *s = arena_zalloc(rq->a, sizeof *s);
    s->fill = fill;
    s->arg = arg;
    rs->stream = s;
}

static ssize_t read_piece(void *cls, uint64_t pos, char *dst, size_t max)
{
    (void)pos;
    runner *r = cls;
    while (r->at == r->out.len) {
        if (r->done) return MHD_CONTENT_READER_END_OF_STREAM;
        arena_reset(r->scratch);
        buf_init(&r->out, r->scratch, 16384);
        r->at = 0;
        int rc = r->s.fill(r->rq, r->s.arg, &r->out);
        r->give_back(r->rq);
        if (rc < 0) {
            log_error("stream: %s stopped after an error", http_log_safe(r->rq->a, r->rq->path));
            return MHD_CONTENT_READER_END_WITH_ERROR;
        }
        if (rc == 0) r->done = 1;
    }
    size_t n = r->out.len - r->at < max ? r->out.len - r->at : max;
    memcpy(dst, r->out.data + r->at, n);
    r->at += n;
    return (ssize_t)n;
}

static void free_runner(void *cls)
{
    runner *r = cls;
    arena_free(r->scratch);
    free(r);
}

struct MHD_Response *stream_response(http_req *rq, const http_stream *s,
                                     void (*give_back)(http_req *rq))
{
    runner *r = calloc(1, sizeof *r);
    if (!r) return NULL;
    r->rq = rq;
    r->s = *s;
    r->give_back = give_back;
    r->scratch = arena_new(65536);
    buf_init(&r->out, r->scratch, 16);
    struct MHD_Response *resp =
        MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 32 * 1024, read_piece, r, free_runner);
    if (!resp) free_runner(r);
    return resp;
}
