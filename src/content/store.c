/* store.c - queries of the content feature (see content.h). */
#include <stdio.h>

#include "content/content.h"

db_res *content_news_latest(db_conn *c, arena *a, int limit)
{
    char lim[16];
    snprintf(lim, sizeof lim, "%d", limit);
    const char *p[] = {lim};
    return db_select(c, a,
                     "SELECT slug, title, summary, published_on FROM news "
                     "ORDER BY published_on DESC, id DESC LIMIT $1",
                     1, p);
}

db_res *content_news_item(db_conn *c, arena *a, const char *slug)
{
    const char *p[] = {slug};
    return db_select(
        c, a, "SELECT slug, title, summary, body, published_on FROM news WHERE slug = $1", 1, p);
}

db_res *content_page(db_conn *c, arena *a, const char *slug)
{
    const char *p[] = {slug};
    return db_select(c, a, "SELECT title, body FROM pages WHERE slug = $1", 1, p);
}

db_res *content_upcoming(db_conn *c, arena *a, const char *today, int limit)
{
    char lim[16];
    snprintf(lim, sizeof lim, "%d", limit);
    const char *p[] = {today, lim};
    return db_select(
        c, a,
        "SELECT e.id, e.name, e.starts_on, e.location, e.capacity - e.seats_taken AS places,"
        " c.name AS course_name, '/aanbod/' || cat.slug_path || '/' || c.slug AS course_url"
        " FROM events e JOIN courses c ON c.id = e.course_id"
        " JOIN categories cat ON cat.id = c.category_id"
        " WHERE e.starts_on >= $1 AND e.cancelled = 0 AND c.maatwerk_org_id IS NULL"
        " AND c.active = 1 ORDER BY e.starts_on, e.id LIMIT $2",
        2, p);
}
