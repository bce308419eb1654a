/* main.c - the klantportal command: serve, migrate, demo, staff, mail,
 * housekeeping.
 *
 * Bad settings end with exit status 2 and one line on stderr that says
 * what to fix; they never crash. */
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <sodium.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "app.h"
#include "core/log.h"
#include "core/privdrop.h"
#include "demo/demo.h"
#include "housekeeping.h"
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
    fputs("gebruik: klantportal serve | migrate | demo | staff add | mail test | housekeeping\n"
          "  serve    start de webserver (voert eerst migrate uit)\n"
          "  migrate  brengt het databaseschema bij\n"
          "  demo     laadt de demogegevens in een lege database\n"
          "  staff add --email E --name \"N\"   maakt een account voor de administratie\n"
          "  mail test --to ADRES               verstuurt een testbericht\n"
          "  housekeeping  ruimt verlopen sessies, links en oude e-mail op\n"
          "Instellingen via KLANTPORTAL_DB, KLANTPORTAL_LISTEN, KLANTPORTAL_BASE_URL,\n"
          "KLANTPORTAL_MAIL_DIR, KLANTPORTAL_SMTP_URL, KLANTPORTAL_MAIL_FROM,\n"
          "KLANTPORTAL_SECRET_KEY_FILE, KLANTPORTAL_MAIL_RETENTION_DAYS.\n",
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
    if (app_init(ap, err, sizeof err) != 0) return fail("start mislukt", err);
    if (open_db(ap, 1, err, sizeof err) != 0) return fail("database", err);
    return account_staff_cli(ap, argc - 2, argv + 2);
}

static int cmd_housekeeping(app *ap)
{
    char err[512] = "";
    if (open_db(ap, 1, err, sizeof err) != 0) return fail("database", err);
    return housekeeping_cli(ap->db, &ap->cfg);
}

static int cmd_serve(app *ap)
{
    char err[512] = "";
    if (priv_check(ap->cfg.listen, getenv("KLANTPORTAL_USER"), err, sizeof err) != 0)
        return fail("rechten", err);
    if (load_key(ap, err, sizeof err) != 0) return fail("geheime sleutel", err);
    if (app_init(ap, err, sizeof err) != 0) return fail("start mislukt", err);
    if (open_db(ap, ap->cfg.threads + 2, err, sizeof err) != 0) return fail("database", err);

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
    housekeeper *keeper;
    if (housekeeping_start(ap->db, &ap->cfg, &keeper, err, sizeof err) != 0) {
        mail_sender_stop(ap->mailer);
        return fail("opruimen", err);
    }
    server *srv;
    server_hooks hooks = {.error_page = page_error, .before = auth_before};
    if (server_start(ap, &hooks, &srv, err, sizeof err) != 0) {
        housekeeping_stop(keeper);
        mail_sender_stop(ap->mailer);
        return fail("webserver", err);
    }
    /* bound: from here on no root is needed */
    if (priv_drop(getenv("KLANTPORTAL_USER"), err, sizeof err) != 0) {
        server_stop(srv);
        housekeeping_stop(keeper);
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
    housekeeping_stop(keeper);
    mail_sender_stop(ap->mailer);
    ap->mailer = NULL;
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return EXIT_SETTINGS;
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "help") == 0 || strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0) {
        usage(stdout);
        return 0;
    }
    app ap = {0};
    char err[512] = "";
    if (config_load(&ap.cfg, err, sizeof err) != 0) return fail("instellingen", err);
    if (getenv("KLANTPORTAL_QUIET")) log_set_quiet(1);
    if (sodium_init() < 0) return fail("libsodium", "kan niet starten");

    int rc;
    if (strcmp(cmd, "serve") == 0)
        rc = cmd_serve(&ap);
    else if (strcmp(cmd, "migrate") == 0)
        rc = cmd_migrate(&ap);
    else if (strcmp(cmd, "demo") == 0)
        rc = cmd_demo(&ap);
    else if (strcmp(cmd, "mail") == 0)
        rc = cmd_mail(&ap, argc, argv);
    else if (strcmp(cmd, "staff") == 0)
        rc = cmd_staff(&ap, argc, argv);
    else if (strcmp(cmd, "housekeeping") == 0)
        rc = cmd_housekeeping(&ap);
    else {
        fprintf(stderr, "klantportal: onbekend commando '%s'\n", cmd);
        usage(stderr);
        rc = EXIT_SETTINGS;
    }
    app_free(&ap);
    return rc;
}
