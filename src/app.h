/* app.h - the process-wide state a request can reach through rq->app.
 *
 * Owned by main: built once before the server starts, read-only afterwards
 * (the db pool does its own locking). */
#ifndef KP_APP_H
#define KP_APP_H

#include "core/config.h"
#include "core/secretbox.h"
#include "db/db.h"
#include "http/router.h"
#include "web/page.h"
#include "web/tmpl.h"

struct static_files;
struct jobs;

typedef struct app {
    config cfg;
    db *db;
    tmpl_set *tmpl;
    router *router;
    struct static_files *statics;
    struct mail_sender *mailer; /* NULL outside `serve` */
    struct jobs *jobs;          /* the background job kinds; runner only in `serve` */
    secret_key key;             /* from cfg.secret_key_file; loaded by serve, staff, migrate */
    web_site site;              /* what the layers below see of all this (app_site) */
} app;

/* The server's before-hook: marks a request that brings a notice as
 * personal (it bypasses the page cache), then auth_before. */
int app_before(http_req *rq, http_resp *rs);
/* Registers every feature's routes. */
void app_routes(router *r);
/* Registers every feature's background job kinds (periodic ones too). */
void app_jobs(app *ap);
/* Loads templates and static files from cfg.data_dir. */
int app_init(app *ap, char *err, size_t errlen);
void app_free(app *ap);
/* Fills ap->site from the settings, the pool, the templates, the static
 * files and the routes (call once they are loaded, before the server
 * starts) and returns what the server is started with. */
const http_site *app_site(app *ap);

#endif
