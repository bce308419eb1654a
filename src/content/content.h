/* content.h - Home, Nieuws & Evenementen and the content pages (Wie zijn
 * wij, Contact, and the footer's Privacyverklaring, Cookies and
 * Toegankelijkheidsverklaring), all from the database; and their back
 * office, /beheer/nieuws and /beheer/paginas (staff only). */
#ifndef KP_CONTENT_H
#define KP_CONTENT_H

#include "db/db.h"
#include "http/router.h"

/* The public pages and the back office's. */
void content_routes(router *r);

/* Store (store.c): published news items only.
 * columns: slug, title, summary, published_on */
db_res *content_news_latest(db_conn *c, arena *a, int limit);
/* columns: slug, title, summary, body, published_on */
db_res *content_news_item(db_conn *c, arena *a, const char *slug);
/* columns: title, body */
db_res *content_page(db_conn *c, arena *a, const char *slug);

#endif
