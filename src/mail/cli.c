/* cli.c - `klantportal mail` (see mail.h). */
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "mail/mail.h"

static int cli_usage(void)
{
    fputs("gebruik: klantportal mail test --to ADRES | klantportal mail send\n"
          "  test  zet een testbericht in de wachtrij en verstuurt wat klaarstaat\n"
          "  send  verstuurt wat klaarstaat (één ronde)\n",
          stderr);
    return 2;
}

static const char test_text[] =
    "Goedendag,\n\n"
    "Dit is een testbericht van de Klantportal. Als u dit leest, werkt het\n"
    "verzenden van e-mail. U hoeft niets te doen.\n\n"
    "Speciale tekens horen er zo uit te zien: één, café, € 12,50.\n\n"
    "Met vriendelijke groet,\n"
    "Onderwijsgroep — Klantportal\n";

static const char test_html[] =
    "<!DOCTYPE html>\n<html lang=\"nl\"><head><meta charset=\"utf-8\">"
    "<title>Testbericht</title></head><body>\n"
    "<p>Goedendag,</p>\n"
    "<p>Dit is een <strong>testbericht</strong> van de Klantportal. Als u dit leest, werkt "
    "het verzenden van e-mail. U hoeft niets te doen.</p>\n"
    "<p>Speciale tekens horen er zo uit te zien: één, café, € 12,50.</p>\n"
    "<p>Met vriendelijke groet,<br>Onderwijsgroep — Klantportal</p>\n"
    "</body></html>\n";

/* Prints the outcome of outbox message id; 0 if it was sent. */
static int report(db *d, arena *a, long long id, const char *to)
{
    db_conn *c = db_acquire(d);
    db_res *r = NULL;
    int n = db_q(c, a, &r, "SELECT sent_at, last_error FROM outbox WHERE id = $1",
                 arena_printf(a, "%lld", id));
    int rc = 1;
    if (n != 1)
        fprintf(stderr, "klantportal: database: %s\n", n < 0 ? db_errmsg(c) : "bericht weg");
    else if (db_val(r, 0, "sent_at")) {
        printf("verzonden naar %s\n", to);
        rc = 0;
    } else {
        const char *why = db_val(r, 0, "last_error");
        fprintf(stderr, "klantportal: niet verzonden: %s\n", why && *why ? why : "onbekend");
    }
    db_release(d, c);
    return rc;
}

static int cli_test(db *d, const config *cfg, const char *to)
{
    arena *a = arena_new(0);
    mail_msg m = {.to_address = to,
                  .to_name = "",
                  .subject = "Testbericht van de Klantportal",
                  .text = test_text,
                  .html = test_html};
    db_conn *c = db_acquire(d);
    long long id = mail_enqueue(c, a, &m);
    db_release(d, c);
    int rc;
    if (id < 0) {
        fprintf(stderr, "klantportal: ongeldig adres of database onbereikbaar\n");
        rc = 2;
    } else if (mail_deliver_due(d, cfg) < 0) {
        fprintf(stderr, "klantportal: database: verzenden afgebroken\n");
        rc = 1;
    } else {
        rc = report(d, a, id, to);
    }
    arena_free(a);
    return rc;
}

int mail_cli(db *d, const config *cfg, int argc, char **argv)
{
    /* With CURLOPT_NOSIGNAL libcurl leaves SIGPIPE alone, and a TLS write
     * to a server that hung up would end the process (serve ignores it
     * already). */
    signal(SIGPIPE, SIG_IGN);
    if (argc == 3 && strcmp(argv[0], "test") == 0 && strcmp(argv[1], "--to") == 0)
        return cli_test(d, cfg, argv[2]);
    if (argc == 1 && strcmp(argv[0], "send") == 0) {
        int n = mail_deliver_due(d, cfg);
        if (n < 0) {
            fprintf(stderr, "klantportal: database: verzenden afgebroken\n");
            return 1;
        }
        printf("%d bericht(en) verzonden\n", n);
        return 0;
    }
    return cli_usage();
}