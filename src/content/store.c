/* store.c - the public queries of the content feature (see content.h): a
 * news item that is a concept does not exist for them. */
#include <stdio.h>

#include "content/content.h"

db_res *content_news_latest(db_conn *c, arena *a, int limit)
{
    char lim[16];
    snprintf(lim, sizeof lim, "%d", limit);
    const char *p[] = {lim};
    return db_select(c, a,
                     "SELECT slug, title, summary, published_on FROM news WHERE published = 1 "
                     "ORDER BY published_on DESC, id DESC LIMIT $1",
                     1, p);
}

db_res *content_news_item(db_conn *c, arena *a, const char *slug)
{
    const char *p[] = {slug};
    return db_select(c, a,
                     "SELECT slug, title, summary, body, published_on FROM news"
                     " WHERE slug = $1 AND published = 1",
                     1, p);
}

db_res *content_page(db_conn *c, arena *a, const char *slug)
{
    const char *p[] = {slug};
    return db_select(c, a, "SELECT title, body FROM pages WHERE slug = $1", 1, p);
}
