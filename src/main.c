/* main.c - the klantportal command: serve, migrate, demo, staff, mail,
 * housekeeping, jobs, routes.
 *
 * Bad settings end with exit status 2 and one line on stderr that says
 * what to fix; they never crash.
 *
 * Every command starts the same way: private files (umask 077), the
 * business time zone, and, when started as root, the files it will write
 * handed to KLANTPORTAL_USER before it switches to that user. */
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <sodium.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "app.h"
#include "core/log.h"
#include "core/privdrop.h"
#include "demo/demo.h"
#include "housekeeping.h"
#include "http/server.h"
#include "jobs/jobs.h"
#include "account/account.h"
#include "auth/policy.h"
#include "auth/session.h"
#include "mail/mail.h"
#include "web/page.h"

#define EXIT_SETTINGS 2

static int fail(const char *what, const char *err)
{
    fprintf(stderr, "klantportal: %s%s%s\n", what, *err ? ": " : "", err);
    return EXIT_SETTINGS;
}

static void usage(FILE *f)
{
    fputs("gebruik: klantportal serve | migrate | demo | staff add | mail test | housekeeping\n"
          "  serve    start de webserver (voert eerst migrate uit; met --no-migrate niet)\n"
          "  migrate  brengt het databaseschema bij\n"
          "  demo     laadt de demogegevens in een lege database\n"
          "  staff add --email E --name \"N\"   maakt een account voor de administratie\n"
          "  mail test --to ADRES               verstuurt een testbericht\n"
          "  routes   toont elke route met methode en toegangsregels\n"
          "  jobs run voert de achtergrondtaken uit die nu aan de beurt zijn\n"
          "  housekeeping  ruimt verlopen sessies, links en oude e-mail op\n"
          "Instellingen via KLANTPORTAL_DB, KLANTPORTAL_LISTEN, KLANTPORTAL_BASE_URL,\n"
          "KLANTPORTAL_MAIL_DIR, KLANTPORTAL_SMTP_URL, KLANTPORTAL_MAIL_FROM,\n"
          "KLANTPORTAL_SECRET_KEY_FILE, KLANTPORTAL_MAIL_RETENTION_DAYS;\n"
          "als root is KLANTPORTAL_USER verplicht (de gebruiker waaronder het draait).\n",
          f);
}

/* Opens the database and brings its schema up to date. */
static int open_db(app *ap, int pool, char *err, size_t errlen)
{
    if (db_open(ap->cfg.db_url, pool, &ap->db, err, errlen) != 0) return -1;
    char dir[PATH_MAX];
    snprintf(dir, sizeof dir, "%s/migrations", ap->cfg.data_dir);
    return db_migrate(ap->db, dir, err, errlen);
}

/* The secret key (made at first start): whatever may store or read an
 * encrypted secret loads it before touching the database. */
static int load_key(app *ap, char *err, size_t errlen)
{
    return secret_key_load(ap->cfg.secret_key_file, &ap->key, err, errlen);
}

static int cmd_migrate(app *ap)
{
    char err[512] = "";
    if (load_key(ap, err, sizeof err) != 0) return fail("geheime sleutel", err);
    if (open_db(ap, 1, err, sizeof err) != 0) return fail("migreren mislukt", err);
    printf("database bijgewerkt\n");
    return 0;
}

static int cmd_demo(app *ap)
{
    char err[512] = "";
    if (open_db(ap, 1, err, sizeof err) != 0) return fail("database", err);
    if (demo_load(ap->db, err, sizeof err) != 0) return fail("demo", err);
    printf("demogegevens geladen\n");
    return 0;
}

static int cmd_mail(app *ap, int argc, char **argv)
{
    char err[512] = "";
    if (open_db(ap, 1, err, sizeof err) != 0) return fail("database", err);
    return mail_cli(ap->db, &ap->cfg, argc - 2, argv + 2);
}

/* staff add needs the email templates as well as the database. */
static int cmd_staff(app *ap, int argc, char **argv)
{
    char err[512] = "";
    if (load_key(ap, err, sizeof err) != 0) return fail("geheime sleutel", err);
    if (!ap->tmpl && app_init(ap, err, sizeof err) != 0) return fail("start mislukt", err);
    if (open_db(ap, 1, err, sizeof err) != 0) return fail("database", err);
    return account_staff_cli(ap, argc - 2, argv + 2);
}

static int cmd_housekeeping(app *ap)
{
    char err[512] = "";
    if (open_db(ap, 1, err, sizeof err) != 0) return fail("database", err);
    return housekeeping_cli(ap->db, &ap->cfg);
}

/* `klantportal jobs run`: one pass over the due background jobs (for cron
 * jobs outside `serve`, and for tests). */
static int cmd_jobs(app *ap, int argc, char **argv)
{
    char err[512] = "";
    if (argc != 3 || strcmp(argv[2], "run") != 0) {
        fputs("gebruik: klantportal jobs run\n", stderr);
        return EXIT_SETTINGS;
    }
    if (!ap->tmpl && app_init(ap, err, sizeof err) != 0) return fail("start mislukt", err);
    if (open_db(ap, 1, err, sizeof err) != 0) return fail("database", err);
    app_jobs(ap);
    if (jobs_schedule(ap->jobs, ap->db) != 0) return fail("taken", "inplannen mislukt");
    int n = jobs_run_due(ap->jobs, ap->db, 0);
    if (n < 0) return fail("taken", "database");
    printf("%d taak/taken uitgevoerd\n", n);
    return 0;
}

/* Every route with its method and flags: what the authorization matrix
 * must cover. Needs no database. */
static int cmd_routes(app *ap)
{
    ap->router = router_new();
    app_routes(ap->router);
    if (router_error(ap->router)) return fail("routes", router_error(ap->router));
    arena *a = arena_new(0);
    const route *rt;
    for (size_t i = 0; (rt = router_route_at(ap->router, i)) != NULL; i++)
        printf("%-5s %-55s %s\n", rt->method, rt->pattern, route_flag_names(a, rt->flags));
    arena_free(a);
    return 0;
}

/* Several servers started by an orchestrator share one database: one
 * `klantportal migrate` runs first, the servers start with --no-migrate and
 * only check that the schema is not behind the program. */
static int open_db_checked(app *ap, int pool, char *err, size_t errlen)
{
    if (db_open(ap->cfg.db_url, pool, &ap->db, err, errlen) != 0) return -1;
    char dir[PATH_MAX];
    snprintf(dir, sizeof dir, "%s/migrations", ap->cfg.data_dir);
    int pending = db_migrations_pending(ap->db, dir, err, errlen);
    if (pending < 0) return -1;
    if (pending > 0) {
        snprintf(err, errlen,
                 "%d migratie(s) nog niet uitgevoerd; voer eerst 'klantportal migrate' uit",
                 pending);
        return -1;
    }
    return 0;
}

static int cmd_serve(app *ap, int argc, char **argv)
{
    char err[512] = "";
    int migrate = 1;
    for (int i = 2; i < argc; i++) {
        if (strcmp(argv[i], "--no-migrate") != 0) {
            fprintf(stderr, "klantportal: onbekende optie voor serve: %s\n", argv[i]);
            return EXIT_SETTINGS;
        }
        migrate = 0;
    }
    if (load_key(ap, err, sizeof err) != 0) return fail("geheime sleutel", err);
    if (!ap->tmpl && app_init(ap, err, sizeof err) != 0) return fail("start mislukt", err);
    /* one more for the mail sender, one for the job runner */
    int pool = ap->cfg.threads + 2;
    if ((migrate ? open_db(ap, pool, err, sizeof err)
                 : open_db_checked(ap, pool, err, sizeof err)) != 0)
        return fail("database", err);
    /* after the migrations, which may take their time */
    db_set_limits(ap->db, &(db_limits){.query_ms = ap->cfg.query_timeout_ms,
                                       .lock_ms = ap->cfg.query_timeout_ms,
                                       .idle_tx_ms = 60000});

    /* Block the stop signals in every thread (the server's threads inherit
     * this mask) and wait for them here. */
    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGTERM);
    sigaddset(&stop, SIGINT);
    sigaddset(&stop, SIGHUP);
    pthread_sigmask(SIG_BLOCK, &stop, NULL);
    signal(SIGPIPE, SIG_IGN);

    if (mail_sender_start(ap->db, &ap->cfg, &ap->mailer, err, sizeof err) != 0)
        return fail("e-mail", err);
    app_jobs(ap);
    if (jobs_start(ap->jobs, ap->db, err, sizeof err) != 0) {
        mail_sender_stop(ap->mailer);
        return fail("taken", err);
    }
    server *srv;
    server_hooks hooks = {.error_page = page_error, .before = app_before};
    if (server_start(app_site(ap), &hooks, &srv, err, sizeof err) != 0) {
        jobs_stop(ap->jobs);
        mail_sender_stop(ap->mailer);
        return fail("webserver", err);
    }
    /* bound: from here on no root is needed (a no-op when main switched) */
    if (priv_drop(getenv("KLANTPORTAL_USER"), err, sizeof err) != 0) {
        server_stop(srv);
        jobs_stop(ap->jobs);
        mail_sender_stop(ap->mailer);
        return fail("rechten", err);
    }
    char host[256];
    int port;
    config_split_listen(ap->cfg.listen, host, sizeof host, &port);
    printf("listening http://%s%s%s:%d\n", strchr(host, ':') ? "[" : "", host,
           strchr(host, ':') ? "]" : "", server_port(srv));
    fflush(stdout);
    log_info("klantportal luistert op %s:%d met %d threads", host, server_port(srv),
             ap->cfg.threads);

    int sig = 0;
    /* SIGHUP (a terminal closing, an operator's reflex) reloads nothing
     * and must not stop the server */
    while (sigwait(&stop, &sig) == 0 && sig == SIGHUP)
        log_info("SIGHUP ontvangen: er is niets om opnieuw te laden, de server draait door");
    log_info("signaal %d ontvangen, stoppen", sig);
    server_stop(srv);
    jobs_stop(ap->jobs);
    mail_sender_stop(ap->mailer);
    ap->mailer = NULL;
    return 0;
}

/* Dates ("today", deadlines, invoice dates) are Dutch business dates
 * whatever the machine's zone. Without tzdata the same rules are spelled
 * out, so the program never silently falls back to UTC. */
static void pin_time_zone(void)
{
    const char *dir = getenv("TZDIR");
    char zone[PATH_MAX];
    snprintf(zone, sizeof zone, "%s/Europe/Amsterdam", dir && *dir ? dir : "/usr/share/zoneinfo");
    setenv("TZ", access(zone, R_OK) == 0 ? "Europe/Amsterdam" : "CET-1CEST,M3.5.0,M10.5.0/3", 1);
    tzset();
}

/* As root: hands KLANTPORTAL_USER the folders and files the command will
 * write (the SQLite database with its -wal/-shm and folder, the mail
 * folder, the secret key file), so nothing it leaves behind is root's. */
/* The folder of a file path ("." for a bare name). */
static void folder_of(const char *path, char *dir, size_t n)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        snprintf(dir, n, ".");
    else
        snprintf(dir, n, "%.*s", slash == path ? 1 : (int)(slash - path), path);
}

static int prepare_ownership(const config *cfg, const char *user, char *err, size_t errlen)
{
    char dir[PATH_MAX];
    if (strncmp(cfg->db_url, "sqlite:", 7) == 0 && strcmp(cfg->db_url + 7, ":memory:") != 0) {
        const char *path = cfg->db_url + 7;
        char side[PATH_MAX + 8];
        folder_of(path, dir, sizeof dir);
        if (priv_own_dir(user, dir, err, errlen) != 0 ||
            priv_own_file(user, path, 1, err, errlen) != 0)
            return -1;
        static const char *const sides[] = {"-wal", "-shm", "-journal"};
        for (size_t i = 0; i < sizeof sides / sizeof *sides; i++) {
            snprintf(side, sizeof side, "%s%s", path, sides[i]);
            if (priv_own_file(user, side, 0, err, errlen) != 0) return -1;
        }
    }
    if (!(cfg->smtp_url && *cfg->smtp_url) && priv_own_dir(user, cfg->mail_dir, err, errlen) != 0)
        return -1;
    /* the key: handed over when it exists, else its folder, where the
     * command makes it as the user */
    const char *key = cfg->secret_key_file;
    if (access(key, F_OK) == 0) return priv_own_file(user, key, 0, err, errlen);
    folder_of(key, dir, sizeof dir);
    return priv_own_dir(user, dir, err, errlen);
}

static int needs_root_to_bind(const char *listen)
{
    char host[256];
    int port = 0;
    config_split_listen(listen, host, sizeof host, &port);
    return port > 0 && port < 1024;
}

typedef enum {
    CMD_SERVE,
    CMD_MIGRATE,
    CMD_DEMO,
    CMD_MAIL,
    CMD_STAFF,
    CMD_HOUSEKEEPING,
    CMD_JOBS,
    CMD_ROUTES,
    CMD_UNKNOWN
} command;

/* Started as root: requires KLANTPORTAL_USER, hands it what the command
 * writes, and switches to it. Only binding a port below 1024 needs root,
 * and only `serve` binds (it switches itself right after); everything else,
 * the database, the mail and the data folder, is done as the user. */
static int least_privilege(command c, const config *cfg, char *err, size_t errlen)
{
    const char *user = getenv("KLANTPORTAL_USER");
    /* listing the routes reads and writes nothing */
    if (c == CMD_ROUTES) return 0;
    if (priv_require_user(user, err, errlen) != 0 || prepare_ownership(cfg, user, err, errlen) != 0)
        return -1;
    if (c == CMD_SERVE && needs_root_to_bind(cfg->listen)) return 0;
    return priv_drop(user, err, errlen);
}

/* Reads the migrations and, for the commands that render pages or mail,
 * the templates and static files into memory. */
static int preload(app *ap, command c, char *err, size_t errlen)
{
    char dir[PATH_MAX];
    snprintf(dir, sizeof dir, "%s/migrations", ap->cfg.data_dir);
    if (db_migrations_preload(dir, err, errlen) != 0) return -1;
    if (c == CMD_SERVE || c == CMD_STAFF || c == CMD_JOBS) return app_init(ap, err, errlen);
    return 0;
}

static command command_of(const char *name)
{
    static const char *const names[] = {"serve", "migrate",      "demo", "mail",
                                        "staff", "housekeeping", "jobs", "routes"};
    for (int i = 0; i < CMD_UNKNOWN; i++)
        if (strcmp(name, names[i]) == 0) return (command)i;
    return CMD_UNKNOWN;
}

int main(int argc, char **argv)
{
    umask(077); /* the database and the mail hold personal data */
    pin_time_zone();
    if (argc < 2) {
        usage(stderr);
        return EXIT_SETTINGS;
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "help") == 0 || strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0) {
        usage(stdout);
        return 0;
    }
    command c = command_of(cmd);
    if (c == CMD_UNKNOWN) {
        fprintf(stderr, "klantportal: onbekend commando '%s'\n", cmd);
        usage(stderr);
        return EXIT_SETTINGS;
    }
    app ap = {0};
    char err[512] = "";
    if (config_load(&ap.cfg, err, sizeof err) != 0) return fail("instellingen", err);
    /* What the data folder holds is read before root is given up, so the
     * folder needs no rights for KLANTPORTAL_USER (a checkout in root's
     * home works too). */
    if (c != CMD_ROUTES && preload(&ap, c, err, sizeof err) != 0) {
        app_free(&ap);
        return fail("start mislukt", err);
    }
    if (least_privilege(c, &ap.cfg, err, sizeof err) != 0) {
        app_free(&ap);
        return fail("rechten", err);
    }
    if (getenv("KLANTPORTAL_QUIET")) log_set_quiet(1);
    if (sodium_init() < 0) return fail("libsodium", "kan niet starten");

    int rc = EXIT_SETTINGS;
    switch (c) {
    case CMD_SERVE:
        rc = cmd_serve(&ap, argc, argv);
        break;
    case CMD_MIGRATE:
        rc = cmd_migrate(&ap);
        break;
    case CMD_DEMO:
        rc = cmd_demo(&ap);
        break;
    case CMD_MAIL:
        rc = cmd_mail(&ap, argc, argv);
        break;
    case CMD_STAFF:
        rc = cmd_staff(&ap, argc, argv);
        break;
    case CMD_HOUSEKEEPING:
        rc = cmd_housekeeping(&ap);
        break;
    case CMD_JOBS:
        rc = cmd_jobs(&ap, argc, argv);
        break;
    case CMD_ROUTES:
        rc = cmd_routes(&ap);
        break;
    case CMD_UNKNOWN:
        break;
    }
    app_free(&ap);
    return rc;
}
