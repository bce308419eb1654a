/* download.h - the headers of a file download (a CSV export, later
 * invoices and attachments).
 *
 *   Content-Type          as given ("text/csv; charset=utf-8")
 *   Content-Disposition   attachment; filename="<ASCII>"; and, when the
 *                         name has other characters, filename*=UTF-8''<pct>
 *                         (RFC 6266 / 8187: old clients take the first)
 *   X-Content-Type-Options: nosniff   (a browser never runs it as a page)
 *   Cache-Control: no-store           (downloads are made for one request
 *                         and often hold personal data: no browser cache
 *                         or proxy keeps a copy)
 *
 * A response with these headers is never put in the page cache (it has
 * headers of its own). The body is the caller's: rs->body, or resp_stream.
 */
#ifndef KP_HTTP_DOWNLOAD_H
#define KP_HTTP_DOWNLOAD_H

#include "http/http.h"

/* Sets status 200 and the headers above. filename is UTF-8 as the user
 * should see it; path separators, quotes, control characters and bytes
 * that are not UTF-8 never reach the header. */
void resp_download(http_resp *rs, arena *a, const char *content_type, const char *filename);

/* The Content-Disposition value for filename (exposed for tests). */
const char *download_disposition(arena *a, const char *filename);

#endif
