/* app.c - wires the features to the router and loads what the pages need
 * from the data folder. */
#include "app.h"

#include <limits.h>
#include <sodium.h>
#include <stdio.h>
#include <unistd.h>

#include "account/account.h"
#include "auth/policy.h"
#include "auth/session.h"
#include "catalog/catalog.h"
#include "organisation/organisation.h"
#include "profile/profile.h"
#include "core/log.h"
#include "content/content.h"
#include "backoffice/backoffice.h"
#include "relations/relations.h"
#include "relations/import.h"
#include "dossier/timeline.h"
#include "enrolment/enrolment.h"
#include "dossier/dossier.h"
#include "invoicing/invoicing.h"
#include "http/http.h"
#include "http/static.h"
#include "housekeeping.h"
#include "invoicing/invoicing.h"
#include "invoicing/mails.h"
#include "jobs/jobs.h"
#include "web/flash.h"

static void healthz(http_req *rq, http_resp *rs)
{
    (void)rq;
    resp_text(rs, 200, "ok\n");
}

/* Ready when the database answers. */
static void readyz(http_req *rq, http_resp *rs)
{
    db_conn *c = req_db(rq);
    if (!c || db_ping(c) != 0)
        resp_text(rs, 503, "database niet bereikbaar\n");
    else
        resp_text(rs, 200, "ok\n");
}

static const route core_routes[] = {
    {"GET", "/healthz", healthz, NULL, RF_NO_SESSION},
    {"GET", "/readyz", readyz, NULL, RF_NO_SESSION},
    {"GET", "/static/*file", static_handler, NULL, RF_NO_SESSION},
};

int app_before(http_req *rq, http_resp *rs)
{
    /* a notice is this visitor's alone: a cached page would hide it and
     * keep the cookie, and a page showing it must never be cached */
    rq->personal = flash_pending(rq);
    return auth_before(rq, rs);
}

void app_routes(router *r)
{
    router_add_all(r, core_routes);
    content_routes(r);
    catalog_routes(r);
    account_routes(r);
    account_context_routes(r);
    organisation_routes(r);
    profile_routes(r);
    enrolment_routes(r);
    enrolment_queue_routes(r);
    dossier_timeline_routes(r);
    backoffice_routes(r);
    relations_routes(r);
    relations_import_routes(r);
    dossier_routes(r);
    invoicing_routes(r);
    invoicing_admin_routes(r);
}

void app_jobs(app *ap)
{
    if (ap->jobs) return;
    ap->jobs = jobs_new();
    jobs_define(ap->jobs, "opruimen", housekeeping_job, &ap->cfg, HOUSEKEEPING_INTERVAL_SECONDS);
    jobs_define(ap->jobs, "aanmeldingen-vervallen", enrolment_lapse_job, ap,
                ENROLMENT_LAPSE_INTERVAL_SECONDS);
    jobs_define(ap->jobs, INV_MAIL_JOB, inv_mail_job, ap, 0);
    jobs_define(ap->jobs, INV_REMINDER_JOB, inv_reminder_job, ap, INV_REMINDER_PERIOD_SECONDS);
}

/* The typeface's faces style.css names (@font-face), served as
 * /static/fonts/<file>. They come from the system's font package, read
 * here before privileges are dropped; a missing file is no reason not to
 * start: the pages then fall back to the system's own letter. */
static const char *const font_files[] = {"Inter-Regular.otf", "Inter-SemiBold.otf",
                                         "Inter-Bold.otf"};

static void load_fonts(app *ap)
{
    char path[PATH_MAX], name[128];
    for (size_t i = 0; i < sizeof font_files / sizeof font_files[0]; i++) {
        snprintf(path, sizeof path, "%s/%s", ap->cfg.font_dir, font_files[i]);
        snprintf(name, sizeof name, "fonts/%s", font_files[i]);
        if (static_add_file(ap->statics, path, name) != 0)
            log_info("lettertype %s ontbreekt (Debian-pakket fonts-inter); de pagina's gebruiken "
                     "de systeemletter",
                     path);
    }
}

/* The PDF documents embed this font; without it they cannot be made,
 * which is worth saying at start rather than at the first download. */
static void check_pdf_font(const app *ap)
{
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s/DejaVuSans.ttf", ap->cfg.pdf_font_dir);
    if (access(path, R_OK) != 0)
        log_info("lettertype voor PDF-documenten ontbreekt: %s (Debian-pakket fonts-dejavu-core); "
                 "bevestigingen als PDF lukken dan niet",
                 path);
}

int app_init(app *ap, char *err, size_t errlen)
{
    char dir[PATH_MAX];
    ap->tmpl = tmpl_set_new();
    snprintf(dir, sizeof dir, "%s/templates", ap->cfg.data_dir);
    if (tmpl_load_dir(ap->tmpl, dir, err, errlen) != 0) return -1;
    snprintf(dir, sizeof dir, "%s/static", ap->cfg.data_dir);
    if (static_load(dir, &ap->statics, err, errlen) != 0) return -1;
    load_fonts(ap);
    check_pdf_font(ap);
    ap->router = router_new();
    app_routes(ap->router);
    if (router_error(ap->router)) {
        snprintf(err, errlen, "%s", router_error(ap->router));
        return -1;
    }
    /* Without the list every weak password that only the list catches would
     * get in: no start rather than a weaker policy. */
    const char *list = ap->cfg.common_passwords ? ap->cfg.common_passwords : POLICY_COMMON_LIST;
    if (policy_load_common(list) <= 0) {
        snprintf(err, errlen,
                 "lijst met veelgebruikte wachtwoorden ontbreekt: %s (Debian-pakket john-data)",
                 list);
        return -1;
    }
    return 0;
}

const http_site *app_site(app *ap)
{
    const config *cfg = &ap->cfg;
    ap->site = (web_site){
        .http =
            {
                .https = cfg->https,
                .db = ap->db,
                .db_wait_ms = cfg->db_wait_ms,
                .statics = ap->statics,
                .router = ap->router,
                .listen = cfg->listen,
                .threads = cfg->threads,
                .page_cache_ms = cfg->page_cache_ms,
                .trusted_proxies = &cfg->trusted_proxies,
                .conns_per_address = cfg->conns_per_address,
                .receive_seconds = cfg->receive_seconds,
                .app = ap,
            },
        .tmpl = ap->tmpl,
    };
    return &ap->site.http;
}

void app_free(app *ap)
{
    if (ap->router) router_free(ap->router);
    if (ap->tmpl) tmpl_set_free(ap->tmpl);
    if (ap->statics) static_free(ap->statics);
    if (ap->db) db_close(ap->db);
    jobs_free(ap->jobs);
    policy_free_common();
    sodium_memzero(&ap->key, sizeof ap->key);
}
