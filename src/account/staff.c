/* staff.c - `klantportal staff add --email E --name "N"`: a back-office
 * account. It gets no password: the activation link (printed, and emailed)
 * lets the person choose one. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "account/account.h"
#include "core/timeutil.h"
#include "mail/mail.h"

static int usage(void)
{
    fputs("gebruik: klantportal staff add --email E --name \"Voornaam Achternaam\"\n", stderr);
    return 2;
}

static int valid_email(const char *e)
{
    const char *at = strchr(e, '@');
    if (!at || at == e || strchr(at + 1, '@') || !strchr(at + 1, '.') || strlen(e) > 254) return 0;
    for (const char *p = e; *p; p++)
        if ((unsigned char)*p <= ' ' || *p == '<' || *p == '>' || *p == '"') return 0;
    return at[1] != '.' && e[strlen(e) - 1] != '.';
}

/* Inserts the person (or marks an existing one as staff) and, when there
 * is no password yet, makes the activation link. */
static int add_staff(app *ap, db_conn *c, arena *a, const char *email, const char *first,
                     const char *last, char **link)
{
    const char *now = arena_printf(a, "%lld", (long long)clock_now());
    db_res *r;
    if (db_q(c, a, &r, "SELECT id, password_hash FROM persons WHERE email = $1", email) < 0)
        return -1;
    long long id;
    int has_password = 0;
    if (r->nrows == 1) {
        id = db_int(r, 0, "id");
        has_password = db_val(r, 0, "password_hash") != NULL;
        if (db_q(c, a, NULL, "UPDATE persons SET is_staff = 1, updated_at = $1 WHERE id = $2", now,
                 db_val(r, 0, "id")) < 0)
            return -1;
    } else {
        if (db_q(c, a, &r,
                 "INSERT INTO persons (first_name, last_name, email, is_staff, created_at,"
                 " updated_at) VALUES ($1, $2, $3, 1, $4, $4) RETURNING id",
                 first, last, email, now) < 0)
            return -1;
        id = db_int(r, 0, "id");
    }
    *link = has_password ? NULL : account_send_link(c, a, ap, id, "activatie");
    return has_password || *link ? 0 : -1;
}

int account_staff_cli(app *ap, int argc, char **argv)
{
    const char *email = NULL, *name = NULL;
    if (argc < 1 || strcmp(argv[0], "add") != 0) return usage();
    for (int i = 1; i + 1 < argc; i += 2) {
        if (strcmp(argv[i], "--email") == 0)
            email = argv[i + 1];
        else if (strcmp(argv[i], "--name") == 0)
            name = argv[i + 1];
        else
            return usage();
    }
    if (!email || !name || argc % 2 == 0) return usage();
    arena *a = arena_new(0);
    char *mail = arena_strdup(a, email);
    for (char *p = mail; *p; p++)
        *p = (char)tolower((unsigned char)*p);
    while (*name == ' ')
        name++;
    const char *space = strchr(name, ' ');
    if (!valid_email(mail) || !space || !space[1]) {
        fputs("klantportal: geef een geldig e-mailadres en een voor- en achternaam\n", stderr);
        arena_free(a);
        return 2;
    }
    char *first = arena_strndup(a, name, (size_t)(space - name));
    const char *last = space + 1;
    db_conn *c = db_acquire(ap->db);
    char *link = NULL;
    int rc = 1;
    if (db_begin(c) == 0 && add_staff(ap, c, a, mail, first, last, &link) == 0 &&
        db_commit(c) == 0) {
        rc = 0;
    } else {
        fprintf(stderr, "klantportal: medewerker toevoegen mislukt: %s\n", db_errmsg(c));
        db_rollback(c);
    }
    db_release(ap->db, c);
    if (rc == 0 && link) {
        printf("Activatielink voor %s (7 dagen geldig):\n%s\n", mail, link);
        mail_deliver_due(ap->db, &ap->cfg);
    } else if (rc == 0) {
        printf("%s is nu medewerker van de administratie (heeft al een wachtwoord)\n", mail);
    }
    arena_free(a);
    return rc;
}
