/* static.h - the files under static/, loaded into memory at start-up and
 * served with their type, an ETag and long caching (pages link them with
 * ?v=<etag>, so a changed file gets a new URL). Owned by main; the server
 * finds them through its http_site. */
#ifndef KP_STATIC_H
#define KP_STATIC_H

#include <stddef.h>

#include "http/http.h"

typedef struct static_files static_files;

int static_load(const char *dir, static_files **out, char *err, size_t errlen);
/* Adds one file from outside the folder (an absolute path) under `name`,
 * e.g. a typeface from a system package as "fonts/Inter-Regular.otf".
 * Returns 0, or -1 when the file cannot be read (nothing is added). Only
 * before the server starts: the set is read-only afterwards. */
int static_add_file(static_files *s, const char *path, const char *name);
void static_free(static_files *s);
/* The ETag of a file (without quotes) or NULL if there is no such file. */
const char *static_etag(const static_files *s, const char *name);
/* The handler of GET /static/<file>. */
void static_handler(http_req *rq, http_resp *rs);
/* Content type for a file name, by extension. */
const char *static_content_type(const char *name);

#endif
