/* stream.h - a response body made while it is sent (a CSV export of
 * thousands of rows), instead of built whole in the request's arena.
 *
 * How: the server answers with a libmicrohttpd callback response of
 * unknown length (chunked transfer on HTTP/1.1, end by close on HTTP/1.0).
 * Whenever the bytes made so far are sent, the fill function is called
 * again for the next piece, on the connection's request thread, with a
 * scratch arena that is emptied before every call: memory stays at one
 * piece, however long the body. The request's database connection is
 * borrowed for each call (req_db) and given back after it, so a slow
 * download holds no pooled connection while it waits for the client.
 *
 * A response set with resp_stream is never put in the page cache.
 */
#ifndef KP_HTTP_STREAM_H
#define KP_HTTP_STREAM_H

#include "http/http.h"

/* Appends the next piece to out. Returns 1 when more follows, 0 after the
 * last piece, -1 on an error: the connection is then cut, so the client
 * sees a broken download rather than a short file that looks whole. rq and
 * arg stay valid until the response is done; out's arena does not. */
typedef int (*stream_fill_fn)(http_req *rq, void *arg, buf *out);

/* Sends the body piece by piece; status, type and headers as set on rs. */
void resp_stream(http_resp *rs, http_req *rq, stream_fill_fn fill, void *arg);

/* For the server only: the libmicrohttpd response for a streamed body;
 * give_back(rq) is called after each fill (the server returns the
 * database connection there). NULL when it cannot be made. */
struct MHD_Response;
struct MHD_Response *stream_response(http_req *rq, const http_stream *s,
                                     void (*give_back)(http_req *rq));

#endif
