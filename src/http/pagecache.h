/* pagecache.h - a short-lived cache, per server process, of public pages as
 * an anonymous visitor sees them (routes flagged RF_PAGE_CACHE).
 *
 * Why: the agenda and the catalog are the most requested pages and the same
 * for every visitor who is not logged in; serving their bytes for a couple
 * of seconds spares the database the same queries thousands of times. Each
 * process keeps its own copy and entries simply expire (KLANTPORTAL_PAGE_
 * CACHE_MS, default 2000 ms), so several servers behind a load balancer
 * agree again within that time. Pages for a logged-in person, responses
 * that set a cookie and anything but 200 are never stored.
 */
#ifndef KP_PAGECACHE_H
#define KP_PAGECACHE_H

#include <stddef.h>

#include "core/arena.h"

typedef struct pagecache pagecache;

/* slots: how many pages are kept at most (hash slots, newest wins). */
pagecache *pagecache_new(size_t slots, long ttl_ms);
void pagecache_free(pagecache *c);
/* A fresh copy of the page for key, copied into arena a: 1 on a hit. */
int pagecache_get(pagecache *c, arena *a, const char *key, const char **body, size_t *len,
                  const char **content_type);
/* content_type must be a string that lives for the whole process. */
void pagecache_put(pagecache *c, const char *key, const char *body, size_t len,
                   const char *content_type);

#endif
