/* main.c - the klantportal command: serve, migrate, demo.
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
#include "http/server.h"
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
    fputs("gebruik: klantportal serve | migrate | demo | staff add | mail test\n"
          "  serve    start de webserver (voert eerst migrate uit)\n"
          "  migrate  brengt het databaseschema bij\n"
          "  demo     laadt de demogegevens in een lege database\n"
          "  staff add --email E --name \"N\"   maakt een account voor de administratie\n"
          "  mail test --to ADRES               verstuurt een testbericht\n"
          "Instellingen via KLANTPORTAL_DB, KLANTPORTAL_LISTEN, KLANTPORTAL_BASE_URL,\n"
          "KLANTPORTAL_MAIL_DIR, KLANTPORTAL_SMTP_URL, KLANTPORTAL_MAIL_FROM;\n"
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

static int cmd_migrate(app *ap)
{
    char err[512] = "";
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
    if (app_init(ap, err, sizeof err) != 0) return fail("start mislukt", err);
    if (open_db(ap, 1, err, sizeof err) != 0) return fail("database", err);
    return account_staff_cli(ap, argc - 2, argv + 2);
}

static int cmd_serve(app *ap)
{
    char err[512] = "";
    if (app_init(ap, err, sizeof err) != 0) return fail("start mislukt", err);
    if (open_db(ap, ap->cfg.threads + 1, err, sizeof err) != 0) return fail("database", err);

    /* Block the stop signals in every thread (the server's threads inherit
     * this mask) and wait for them here. */
    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGTERM);
    sigaddset(&stop, SIGINT);
    pthread_sigmask(SIG_BLOCK, &stop, NULL);
    signal(SIGPIPE, SIG_IGN);

    if (mail_sender_start(ap->db, &ap->cfg, &ap->mailer, err, sizeof err) != 0)
        return fail("e-mail", err);
    server *srv;
    server_hooks hooks = {.error_page = page_error, .before = auth_before};
    if (server_start(ap, &hooks, &srv, err, sizeof err) != 0) {
        mail_sender_stop(ap->mailer);
        return fail("webserver", err);
    }
    /* bound: from here on no root is needed (a no-op when main switched) */
    if (priv_drop(getenv("KLANTPORTAL_USER"), err, sizeof err) != 0) {
        server_stop(srv);
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
    sigwait(&stop, &sig);
    log_info("signaal %d ontvangen, stoppen", sig);
    server_stop(srv);
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
static int prepare_ownership(const config *cfg, const char *user, char *err, size_t errlen)
{
    if (strncmp(cfg->db_url, "sqlite:", 7) == 0 && strcmp(cfg->db_url + 7, ":memory:") != 0) {
        const char *path = cfg->db_url + 7;
        char dir[PATH_MAX], side[PATH_MAX + 8];
        const char *slash = strrchr(path, '/');
        if (!slash)
            snprintf(dir, sizeof dir, ".");
        else
            snprintf(dir, sizeof dir, "%.*s", slash == path ? 1 : (int)(slash - path), path);
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
    const char *key = getenv("KLANTPORTAL_SECRET_KEY_FILE");
    if (key && *key && priv_own_file(user, key, 0, err, errlen) != 0) return -1;
    return 0;
}

static int needs_root_to_bind(const char *listen)
{
    char host[256];
    int port = 0;
    config_split_listen(listen, host, sizeof host, &port);
    return port > 0 && port < 1024;
}

typedef enum { CMD_SERVE, CMD_MIGRATE, CMD_DEMO, CMD_MAIL, CMD_STAFF, CMD_UNKNOWN } command;

/* Started as root: requires KLANTPORTAL_USER, hands it what the command
 * writes, and switches to it. Only binding a port below 1024 needs root,
 * and only `serve` binds (it switches itself right after); everything else,
 * the database, the mail and the data folder, is done as the user. */
static int least_privilege(command c, const config *cfg, char *err, size_t errlen)
{
    const char *user = getenv("KLANTPORTAL_USER");
    if (priv_require_user(user, err, errlen) != 0 || prepare_ownership(cfg, user, err, errlen) != 0)
        return -1;
    if (c == CMD_SERVE && needs_root_to_bind(cfg->listen)) return 0;
    if (priv_user_can_read(user, cfg->data_dir, err, errlen) != 0) return -1;
    return priv_drop(user, err, errlen);
}

static command command_of(const char *name)
{
    static const char *const names[] = {"serve", "migrate", "demo", "mail", "staff"};
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
    if (least_privilege(c, &ap.cfg, err, sizeof err) != 0) return fail("rechten", err);
    if (getenv("KLANTPORTAL_QUIET")) log_set_quiet(1);
    if (sodium_init() < 0) return fail("libsodium", "kan niet starten");

    int rc = EXIT_SETTINGS;
    switch (c) {
    case CMD_SERVE:
        rc = cmd_serve(&ap);
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
    case CMD_UNKNOWN:
        break;
    }
    app_free(&ap);
    return rc;
}
