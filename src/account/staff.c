/* staff.c - `klantportal staff add --email E --name "N" [--print-link]`: a
 * back-office account. It gets no password: an activation link lets the
 * person choose one.
 *
 * By default the link goes only by email (minted by the sender, so it is
 * never stored or shown). With --print-link the link is minted here and
 * printed instead, and no email is sent: a printed link ends up in
 * terminal scrollback, shell logs or a ticket, so it is only made when
 * asked for, and there is then exactly one live link (each new link voids
 * the older ones, so the mail and the console could not both work). */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "account/account.h"
#include "core/email.h"
#include "core/timeutil.h"
#include "people/people.h"
#include "mail/mail.h"

static int usage(void)
{
    fputs("gebruik: klantportal staff add --email E --name \"Voornaam Achternaam\" "
          "[--print-link]\n"
          "  zonder --print-link gaat de activatielink alleen per e-mail;\n"
          "  met --print-link wordt hij hier getoond en niet gemaild\n",
          stderr);
    return 2;
}

/* Inserts the person (or marks an existing one as staff); *id is theirs and
 * *needs_link says they have no password yet. Unless print_link, the
 * activation email is enqueued. */
static int add_staff(app *ap, db_conn *c, arena *a, const char *email, const char *first,
                     const char *last, int print_link, long long *out_id, int *needs_link)
{
    person_found who;
    if (people_find_or_create(c, a, &(person_new){first, NULL, last, email, 1}, &who) != 0)
        return -1;
    *out_id = who.id;
    *needs_link = !who.has_login;
    if (who.has_login || print_link) return 0;
    return account_send_link(c, a, ap, who.id, "activatie") > 0 ? 0 : -1;
}

static void announce(app *ap, db_conn *c, arena *a, const char *mail, long long id, int print_link)
{
    if (!print_link) {
        printf("Activatiemail voor %s staat klaar (link 7 dagen geldig)\n", mail);
        return;
    }
    char *link = account_mint_activation(c, a, ap, id);
    if (link)
        printf("Activatielink voor %s (7 dagen geldig, niet gemaild):\n%s\n", mail, link);
    else
        fprintf(stderr, "klantportal: activatielink maken mislukt: %s\n", db_errmsg(c));
}

int account_staff_cli(app *ap, int argc, char **argv)
{
    const char *email = NULL, *name = NULL;
    int print_link = 0;
    if (argc < 1 || strcmp(argv[0], "add") != 0) return usage();
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--print-link") == 0)
            print_link = 1;
        else if (i + 1 < argc && strcmp(argv[i], "--email") == 0)
            email = argv[++i];
        else if (i + 1 < argc && strcmp(argv[i], "--name") == 0)
            name = argv[++i];
        else
            return usage();
    }
    if (!email || !name) return usage();
    arena *a = arena_new(0);
    const char *mail = email_normal(a, email);
    while (*name == ' ')
        name++;
    const char *space = strchr(name, ' ');
    if (!mail || !space || !space[1]) {
        fputs("klantportal: geef een geldig e-mailadres en een voor- en achternaam\n", stderr);
        arena_free(a);
        return 2;
    }
    char *first = arena_strndup(a, name, (size_t)(space - name));
    const char *last = space + 1;
    db_conn *c = db_acquire(ap->db);
    long long id = 0;
    int rc = 1, needs_link = 0;
    if (db_begin(c) == 0 &&
        add_staff(ap, c, a, mail, first, last, print_link, &id, &needs_link) == 0 &&
        db_commit(c) == 0) {
        rc = 0;
    } else {
        fprintf(stderr, "klantportal: medewerker toevoegen mislukt: %s\n", db_errmsg(c));
        db_rollback(c);
    }
    if (rc == 0 && needs_link) announce(ap, c, a, mail, id, print_link);
    db_release(ap->db, c);
    if (rc == 0 && needs_link && !print_link)
        mail_deliver_due(ap->db, &ap->cfg);
    else if (rc == 0 && !needs_link)
        printf("%s is nu medewerker van de administratie (heeft al een wachtwoord)\n", mail);
    arena_free(a);
    return rc;
}
