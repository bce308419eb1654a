/* test_outbox.c - mail_enqueue, mail_deliver_due, the sender thread and
 * `klantportal mail`, on a temporary SQLite database migrated with the real
 * migrations (run from the repository root), and again on PostgreSQL when
 * KP_TEST_PG_URL is set. That database is shared with test_db, so each test
 * here works in a schema of its own (search_path set in the URL), dropped
 * afterwards. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <curl/curl.h>
#include <dirent.h>
#include <ftw.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/log.h"
#include "core/timeutil.h"
#include "mail/mail.h"

/* The PostgreSQL URL for this run of the tests, NULL for SQLite. */
static const char *pg_url;

typedef struct env {
    char dir[64];
    char mail_dir[128];
    char url[1024];
    char schema[64]; /* PostgreSQL only */
    db *d;
    arena *a;
    config cfg;
} env;

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    return remove(path);
}

/* Runs one statement on its own connection to pg_url. */
static int pg_admin(const char *sql, char *err, size_t errlen)
{
    db *d;
    if (db_open(pg_url, 1, &d, err, errlen) != 0) return -1;
    db_conn *c = db_acquire(d);
    int rc = db_exec_script(c, sql);
    if (rc != 0) snprintf(err, errlen, "%s", db_errmsg(c));
    db_release(d, c);
    db_close(d);
    return rc;
}

/* A fresh schema, and e->url pointing into it. */
static int pg_schema_create(env *e, char *err, size_t errlen)
{
    snprintf(e->schema, sizeof e->schema, "kp_outbox_%s", strrchr(e->dir, '_') + 1);
    for (char *p = e->schema; *p; p++)
        if (*p >= 'A' && *p <= 'Z') *p = (char)(*p - 'A' + 'a');
    char sql[128];
    snprintf(sql, sizeof sql, "CREATE SCHEMA %s", e->schema);
    if (pg_admin(sql, err, errlen) != 0) return -1;
    snprintf(e->url, sizeof e->url, "%s%coptions=-csearch_path%%3D%s", pg_url,
             strchr(pg_url, '?') ? '&' : '?', e->schema);
    return 0;
}

static int setup(void **state)
{
    env *e = calloc(1, sizeof *e);
    snprintf(e->dir, sizeof e->dir, "/tmp/kp_test_outbox_XXXXXX");
    if (!mkdtemp(e->dir)) return -1;
    /* a folder that does not exist yet: the sender makes it */
    snprintf(e->mail_dir, sizeof e->mail_dir, "%s/mail/uit", e->dir);
    snprintf(e->url, sizeof e->url, "sqlite:%s/kp.db", e->dir);
    char err[512];
    if (pg_url && pg_schema_create(e, err, sizeof err) != 0) {
        print_error("%s\n", err);
        return -1;
    }
    if (db_open(e->url, 3, &e->d, err, sizeof err) != 0 ||
        db_migrate(e->d, "migrations", err, sizeof err) != 0) {
        print_error("%s\n", err);
        return -1;
    }
    e->a = arena_new(0);
    e->cfg.mail_dir = e->mail_dir;
    e->cfg.mail_from = "Onderwijsgroep <info@onderwijsgroepnwh.nl>";
    e->cfg.smtp_url = NULL;
    clock_set_offset(0);
    *state = e;
    return 0;
}

static int teardown(void **state)
{
    env *e = *state;
    clock_set_offset(0);
    db_close(e->d);
    if (e->schema[0]) {
        char sql[128], err[512];
        snprintf(sql, sizeof sql, "DROP SCHEMA %s CASCADE", e->schema);
        if (pg_admin(sql, err, sizeof err) != 0) print_error("%s\n", err);
    }
    arena_free(e->a);
    nftw(e->dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
    free(e);
    return 0;
}

/* ---- helpers ------------------------------------------------------------- */

static long long enqueue(env *e, const char *to, const char *name, const char *subject,
                         const char *text, const char *html)
{
    mail_msg m = {
        .to_address = to, .to_name = name, .subject = subject, .text = text, .html = html};
    db_conn *c = db_acquire(e->d);
    long long id = mail_enqueue(c, e->a, &m);
    db_release(e->d, c);
    return id;
}

static long long add(env *e, const char *to)
{
    long long id = enqueue(e, to, "Jan Jansen", "Uw inschrijving", "Hallo Jan,\nwelkom!",
                           "<p>Hallo Jan, welkom!</p>");
    assert_true(id > 0);
    return id;
}

/* One column of one outbox row, as text ("" for NULL). */
static const char *col(env *e, long long id, const char *name)
{
    db_conn *c = db_acquire(e->d);
    db_res *r = NULL;
    char *sql = arena_printf(e->a, "SELECT %s AS v FROM outbox WHERE id = $1", name);
    int n = db_q(c, e->a, &r, sql, arena_printf(e->a, "%lld", id));
    db_release(e->d, c);
    assert_int_equal(n, 1);
    const char *v = db_val(r, 0, "v");
    return v ? v : "";
}

static long long col_int(env *e, long long id, const char *name)
{
    return atoll(col(e, id, name));
}

static void exec(env *e, const char *sql)
{
    db_conn *c = db_acquire(e->d);
    int rc = db_exec_script(c, sql);
    db_release(e->d, c);
    assert_int_equal(rc, 0);
}

static char *slurp(env *e, const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    char *data = arena_zalloc(e->a, 1 << 20);
    size_t n = fread(data, 1, (1 << 20) - 1, f);
    data[n] = '\0';
    fclose(f);
    return data;
}

static char *eml(env *e, long long id)
{
    return slurp(e, arena_printf(e->a, "%s/%lld.eml", e->mail_dir, id));
}

/* Files in the mail folder (temp files included). */
static int count_files(env *e)
{
    DIR *dir = opendir(e->mail_dir);
    if (!dir) return 0;
    int n = 0;
    for (struct dirent *de; (de = readdir(dir));)
        if (de->d_name[0] != '.' || (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))) n++;
    closedir(dir);
    return n;
}

static void use_closed_smtp(env *e)
{
    e->cfg.smtp_url = "smtp://127.0.0.1:1"; /* nothing listens on port 1 */
}

/* ---- mail_enqueue --------------------------------------------------------- */

static void test_enqueue_validation(void **state)
{
    env *e = *state;
    char long_addr[300];
    memset(long_addr, 'a', 250);
    strcpy(long_addr + 250, "@x.nl");
    char long_subject[202];
    memset(long_subject, 's', 201);
    long_subject[201] = '\0';
    const char *bad_addresses[] = {
        "",           "geen-apenstaart", "twee@@x.nl", "a@b@c.nl",   "@x.nl",
        "jan@",       "jan @x.nl",       "jan@x .nl",  "<jan@x.nl>", "jan@x.nl>",
        "jan\r@x.nl", "jan@x.nl\n",      "jan\t@x.nl", "jan,p@x.nl", "jan@.x.nl",
        "jan@x..nl",  "jan@x.nl.",       "zoë@x.nl",   long_addr,
    };
    for (size_t i = 0; i < sizeof bad_addresses / sizeof bad_addresses[0]; i++)
        if (enqueue(e, bad_addresses[i], "", "x", "x", NULL) != -1)
            fail_msg("address accepted: %s", bad_addresses[i]);

    assert_int_equal(enqueue(e, "jan@x.nl", "Jan\r\nBcc: a@b.nl", "x", "x", NULL), -1);
    assert_int_equal(enqueue(e, "jan@x.nl", "Jan\x01", "x", "x", NULL), -1);
    assert_int_equal(enqueue(e, "jan@x.nl", "", "x\nBcc: a@b.nl", "x", NULL), -1);
    assert_int_equal(enqueue(e, "jan@x.nl", "", "tab\tin", "x", NULL), -1);
    assert_int_equal(enqueue(e, "jan@x.nl", "", "", "x", NULL), -1);
    assert_int_equal(enqueue(e, "jan@x.nl", "", NULL, "x", NULL), -1);
    assert_int_equal(enqueue(e, "jan@x.nl", "", long_subject, "x", NULL), -1);
    assert_int_equal(enqueue(e, "jan@x.nl", "", "bad \xC3\x28 utf8", "x", NULL), -1);
    assert_int_equal(enqueue(e, "jan@x.nl", "", "x", "bad \xFF", NULL), -1);
    assert_int_equal(enqueue(e, "jan@x.nl", "", "x", NULL, NULL), -1);
    long_subject[200] = '\0';
    long_addr[249 - 5] = '\0';
    strcat(long_addr, "@x.nl"); /* 249 bytes */

    long long now = (long long)clock_now();
    long long id =
        enqueue(e, "jan.jansen+test@example.nl", "Zoë", "Één cursus", "Tekst\nmet regels", NULL);
    assert_true(id > 0);
    assert_true(enqueue(e, long_addr, "", long_subject, "x", "") > id);
    assert_string_equal(col(e, id, "to_address"), "jan.jansen+test@example.nl");
    assert_string_equal(col(e, id, "to_name"), "Zoë");
    assert_string_equal(col(e, id, "subject"), "Één cursus");
    assert_string_equal(col(e, id, "body_text"), "Tekst\nmet regels");
    assert_string_equal(col(e, id, "body_html"), "");
    assert_int_equal(col_int(e, id, "attempts"), 0);
    assert_true(col_int(e, id, "next_attempt_at") - now <= 1);
    assert_true(col_int(e, id, "created_at") >= now);
    assert_string_equal(col(e, id, "sent_at"), "");
    const char *mid = col(e, id, "message_id");
    assert_int_equal(mid[0], '<');
    assert_non_null(strstr(mid, "@klantportal>"));
    assert_string_not_equal(mid, col(e, id + 1, "message_id"));
}

/* A display name longer than the header takes is shortened at a character
 * boundary, never a reason to refuse the mail (and the change with it). */
static void test_enqueue_long_name_shortened(void **state)
{
    env *e = *state;
    char name[320] = "";
    for (int i = 0; i < 30; i++)
        strcat(name, "Łódź "); /* 8 bytes each: 240 */
    long long id = enqueue(e, "jan@x.nl", name, "x", "x", NULL);
    assert_true(id > 0);
    const char *stored = col(e, id, "to_name");
    assert_true(strlen(stored) <= 200);
    assert_true(strlen(stored) >= 190);
    assert_memory_equal(stored, name, strlen(stored));
    assert_true(((unsigned char)name[strlen(stored)] & 0xC0) != 0x80);
}

/* ---- delivery -------------------------------------------------------------- */

static void test_deliver_to_file(void **state)
{
    env *e = *state;
    long long id = enqueue(e, "jan@example.nl", "Jan Jansen", "Uw inschrijving",
                           "Hallo Jan,\nwelkom!", "<p>Hallo Jan, welkom!</p>");
    assert_true(id > 0);
    assert_int_equal(mail_deliver_due(e->d, &e->cfg), 1);

    char *m = eml(e, id);
    assert_non_null(m);
    assert_non_null(strstr(m, "From: Onderwijsgroep <info@onderwijsgroepnwh.nl>\r\n"));
    assert_non_null(strstr(m, "To: \"Jan Jansen\" <jan@example.nl>\r\n"));
    assert_non_null(strstr(m, "Subject: Uw inschrijving\r\n"));
    assert_non_null(strstr(m, arena_printf(e->a, "Message-ID: %s\r\n", col(e, id, "message_id"))));
    assert_non_null(strstr(m, "multipart/alternative"));
    assert_non_null(strstr(m, "Hallo Jan,\r\nwelkom!"));
    assert_non_null(strstr(m, "<p>Hallo Jan, welkom!</p>"));

    assert_true(col_int(e, id, "sent_at") > 0);
    assert_int_equal(col_int(e, id, "attempts"), 1);
    assert_string_equal(col(e, id, "claimed_until"), "");
    assert_string_equal(col(e, id, "last_error"), "");
    assert_int_equal(count_files(e), 1); /* no temp file left behind */

    /* sent is sent: later passes leave it alone */
    assert_int_equal(mail_deliver_due(e->d, &e->cfg), 0);
    clock_set_offset(7200);
    assert_int_equal(mail_deliver_due(e->d, &e->cfg), 0);
    assert_int_equal(col_int(e, id, "attempts"), 1);
    assert_int_equal(count_files(e), 1);
}

static void test_deliver_all_due_in_order(void **state)
{
    env *e = *state;
    long long first = add(e, "a@example.nl");
    add(e, "b@example.nl");
    long long last = add(e, "c@example.nl");
    assert_int_equal(mail_deliver_due(e->d, &e->cfg), 3);
    assert_int_equal(count_files(e), 3);
    assert_true(col_int(e, first, "sent_at") > 0);
    assert_non_null(strstr(eml(e, last), "<c@example.nl>"));
}

static void test_failure_backs_off_and_retries(void **state)
{
    env *e = *state;
    long long id = add(e, "jan@example.nl");
    use_closed_smtp(e);

    long long t0 = (long long)clock_now();
    assert_int_equal(mail_deliver_due(e->d, &e->cfg), 0);
    assert_int_equal(col_int(e, id, "attempts"), 1);
    assert_string_equal(col(e, id, "sent_at"), "");
    assert_string_equal(col(e, id, "claimed_until"), "");
    assert_non_null(strstr(col(e, id, "last_error"), "SMTP"));
    long long next = col_int(e, id, "next_attempt_at");
    assert_true(next >= t0 + 30 && next <= t0 + 32);

    /* not due yet: a second pass does not touch it */
    assert_int_equal(mail_deliver_due(e->d, &e->cfg), 0);
    assert_int_equal(col_int(e, id, "attempts"), 1);

    /* 31 s later it is due again; the second failure waits a minute */
    clock_set_offset(31);
    assert_int_equal(mail_deliver_due(e->d, &e->cfg), 0);
    assert_int_equal(col_int(e, id, "attempts"), 2);
    next = col_int(e, id, "next_attempt_at");
    assert_true(next >= t0 + 31 + 60 && next <= t0 + 31 + 62);

    /* the server is back (here: the file transport); once due it goes */
    e->cfg.smtp_url = NULL;
    assert_int_equal(mail_deliver_due(e->d, &e->cfg), 0);
    clock_set_offset(31 + 61);
    assert_int_equal(mail_deliver_due(e->d, &e->cfg), 1);
    assert_int_equal(col_int(e, id, "attempts"), 3);
    assert_string_equal(col(e, id, "last_error"), "");
    assert_true(col_int(e, id, "sent_at") > 0);
    assert_int_equal(count_files(e), 1);
}

static void test_backoff_schedule_and_give_up(void **state)
{
    env *e = *state;
    long long id = add(e, "jan@example.nl");
    use_closed_smtp(e);
    const struct {
        int attempts_before;
        long long wait;
    } steps[] = {{2, 120}, {3, 300}, {4, 900}, {5, 3600}, {10, 3600}, {18, 3600}};
    for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++) {
        char *sql = arena_printf(e->a, "UPDATE outbox SET attempts = %d, next_attempt_at = 0",
                                 steps[i].attempts_before);
        exec(e, sql);
        long long t = (long long)clock_now();
        assert_int_equal(mail_deliver_due(e->d, &e->cfg), 0);
        assert_int_equal(col_int(e, id, "attempts"), steps[i].attempts_before + 1);
        long long next = col_int(e, id, "next_attempt_at");
        assert_true(next >= t + steps[i].wait && next <= t + steps[i].wait + 2);
    }
    /* the 20th failed attempt is the last */
    exec(e, "UPDATE outbox SET attempts = 19, next_attempt_at = 0");
    assert_int_equal(mail_deliver_due(e->d, &e->cfg), 0);
    assert_int_equal(col_int(e, id, "attempts"), 20);
    assert_string_equal(col(e, id, "sent_at"), "");
    assert_true(col_int(e, id, "next_attempt_at") > (long long)clock_now() + 100LL * 365 * 86400);
    clock_set_offset(10LL * 365 * 86400);
    assert_int_equal(mail_deliver_due(e->d, &e->cfg), 0);
    assert_int_equal(col_int(e, id, "attempts"), 20);
}

static void test_claimed_message_not_taken(void **state)
{
    env *e = *state;
    long long id = add(e, "jan@example.nl");
    /* another sender holds it for 100 s */
    long long until = (long long)clock_now() + 100;
    exec(e, arena_printf(e->a, "UPDATE outbox SET claimed_until = %lld", until));
    assert_int_equal(mail_deliver_due(e->d, &e->cfg), 0);
    assert_int_equal(count_files(e), 0);
    assert_int_equal(col_int(e, id, "attempts"), 0);

    /* that sender died: after its claim ran out, we take it over */
    clock_set_offset(101);
    assert_int_equal(mail_deliver_due(e->d, &e->cfg), 1);
    assert_int_equal(count_files(e), 1);
    assert_int_equal(mail_deliver_due(e->d, &e->cfg), 0);
    assert_int_equal(count_files(e), 1);
}

static void test_resend_after_crash_overwrites(void **state)
{
    env *e = *state;
    long long id = add(e, "jan@example.nl");
    assert_int_equal(mail_deliver_due(e->d, &e->cfg), 1);
    /* a crash between writing the file and recording sent_at */
    exec(e, "UPDATE outbox SET sent_at = NULL, next_attempt_at = 0");
    assert_int_equal(mail_deliver_due(e->d, &e->cfg), 1);
    assert_int_equal(count_files(e), 1);
    assert_non_null(eml(e, id));
}

typedef struct pass_arg {
    env *e;
    int sent;
} pass_arg;

static void *pass_thread(void *p)
{
    pass_arg *pa = p;
    int n;
    while ((n = mail_deliver_due(pa->e->d, &pa->e->cfg)) > 0)
        pa->sent += n;
    if (n < 0) pa->sent = -1000;
    return NULL;
}

static void test_concurrent_senders_send_once(void **state)
{
    env *e = *state;
    enum { N = 30 };
    for (int i = 0; i < N; i++)
        add(e, "jan@example.nl");
    pass_arg args[3] = {{e, 0}, {e, 0}, {e, 0}};
    pthread_t t[3];
    for (int i = 0; i < 3; i++)
        pthread_create(&t[i], NULL, pass_thread, &args[i]);
    for (int i = 0; i < 3; i++)
        pthread_join(t[i], NULL);
    assert_int_equal(args[0].sent + args[1].sent + args[2].sent, N);
    assert_int_equal(count_files(e), N);
    db_conn *c = db_acquire(e->d);
    db_res *r = NULL;
    db_q(c, e->a, &r, "SELECT count(*) AS n FROM outbox WHERE attempts = $1 AND sent_at > 0", "1");
    db_release(e->d, c);
    assert_int_equal(db_int(r, 0, "n"), N);
}

static void test_sender_thread(void **state)
{
    env *e = *state;
    mail_sender *s = NULL;
    char err[256];
    assert_int_equal(mail_sender_start(e->d, &e->cfg, &s, err, sizeof err), 0);
    long long id = add(e, "jan@example.nl");
    mail_sender_kick(s);
    for (int i = 0; i < 300 && col_int(e, id, "sent_at") == 0; i++)
        usleep(10000);
    assert_true(col_int(e, id, "sent_at") > 0);
    /* without a kick the next poll (every second) picks it up */
    long long id2 = add(e, "piet@example.nl");
    for (int i = 0; i < 300 && col_int(e, id2, "sent_at") == 0; i++)
        usleep(10000);
    assert_true(col_int(e, id2, "sent_at") > 0);
    mail_sender_stop(s);
    assert_int_equal(count_files(e), 2);
}

/* ---- klantportal mail ------------------------------------------------------ */

static int cli(env *e, int argc, const char *const *argv)
{
    return mail_cli(e->d, &e->cfg, argc, (char **)argv);
}

static void test_cli(void **state)
{
    env *e = *state;
    assert_int_equal(cli(e, 0, (const char *const[]){NULL}), 2);
    assert_int_equal(cli(e, 1, (const char *const[]){"test", NULL}), 2);
    assert_int_equal(cli(e, 2, (const char *const[]){"test", "--to", NULL}), 2);
    assert_int_equal(cli(e, 3, (const char *const[]){"test", "--aan", "x@example.nl", NULL}), 2);
    assert_int_equal(cli(e, 3, (const char *const[]){"test", "--to", "geen-adres", NULL}), 2);
    assert_int_equal(cli(e, 2, (const char *const[]){"send", "x", NULL}), 2);

    assert_int_equal(cli(e, 3, (const char *const[]){"test", "--to", "x@example.nl", NULL}), 0);
    assert_int_equal(count_files(e), 1);
    char *m = eml(e, 1);
    assert_non_null(m);
    assert_non_null(strstr(m, "Subject: Testbericht van de Klantportal\r\n"));

    use_closed_smtp(e);
    assert_int_equal(cli(e, 3, (const char *const[]){"test", "--to", "y@example.nl", NULL}), 1);
    e->cfg.smtp_url = NULL;
    assert_int_equal(cli(e, 1, (const char *const[]){"send", NULL}), 0);
    assert_int_equal(count_files(e), 1); /* not due yet */
    clock_set_offset(31);
    assert_int_equal(cli(e, 1, (const char *const[]){"send", NULL}), 0);
    assert_int_equal(count_files(e), 2);
}

/* ---- links minted on delivery ------------------------------------------- */

static long long add_person(env *e)
{
    db_conn *c = db_acquire(e->d);
    db_res *r = NULL;
    int n = db_q(c, e->a, &r,
                 "INSERT INTO persons (first_name, last_name, email, created_at, updated_at)"
                 " VALUES ($1, 'Jansen', 'jan@example.nl', 1, 1) RETURNING id",
                 "Jan");
    db_release(e->d, c);
    assert_int_equal(n, 1);
    return db_int(r, 0, "id");
}

static long long enqueue_link(env *e, long long person)
{
    mail_link l = {"reset", person, "extra", 3600, "/wachtwoord-instellen"};
    mail_msg m = {.to_address = "jan@example.nl",
                  .to_name = "Jan Jansen",
                  .subject = "Wachtwoord",
                  .text = "Open " MAIL_LINK_MARKER " nu.",
                  .html = "<a href=\"" MAIL_LINK_MARKER "\">" MAIL_LINK_MARKER "</a>",
                  .link = &l};
    db_conn *c = db_acquire(e->d);
    long long id = mail_enqueue(c, e->a, &m);
    db_release(e->d, c);
    return id;
}

/* The token of the link in a delivered message: 43 characters after
 * "?token=" (the text part is quoted-printable, the link has no '='). */
static const char *token_in(env *e, const char *mail)
{
    const char *p = strstr(mail, "/wachtwoord-instellen?token=");
    assert_non_null(p);
    return arena_strndup(e->a, p + strlen("/wachtwoord-instellen?token="), 43);
}

static long long count(env *e, const char *sql)
{
    db_conn *c = db_acquire(e->d);
    db_res *r = NULL;
    int n = db_q(c, e->a, &r, sql, "0");
    db_release(e->d, c);
    assert_int_equal(n, 1);
    return db_int(r, 0, "n");
}

typedef struct process_arg {
    db *d;
    const config *cfg;
    int sent;
} process_arg;

static void *process_pass(void *p)
{
    process_arg *pa = p;
    int n;
    while ((n = mail_deliver_due(pa->d, pa->cfg)) > 0)
        pa->sent += n;
    if (n < 0) pa->sent = -1000;
    return NULL;
}

/* Two server processes (a pool each) with two senders each, claiming at
 * the same time: every message is claimed once and sent once. */
static void test_two_sender_processes_send_each_once(void **state)
{
    env *e = *state;
    enum { N = 40, SENDERS = 4 };
    for (int i = 0; i < N; i++)
        add(e, arena_printf(e->a, "cursist%d@example.nl", i));
    db *other;
    char err[512];
    assert_int_equal(db_open(e->url, 2, &other, err, sizeof err), 0);
    process_arg args[SENDERS];
    pthread_t t[SENDERS];
    for (int i = 0; i < SENDERS; i++) {
        args[i] = (process_arg){i % 2 ? other : e->d, &e->cfg, 0};
        pthread_create(&t[i], NULL, process_pass, &args[i]);
    }
    int sent = 0;
    for (int i = 0; i < SENDERS; i++) {
        pthread_join(t[i], NULL);
        sent += args[i].sent;
    }
    db_close(other);
    assert_int_equal(sent, N);
    assert_int_equal(count_files(e), N);
    assert_int_equal(count(e, "SELECT count(*) + $1 AS n FROM outbox WHERE attempts = 1"
                              " AND sent_at IS NOT NULL AND claimed_until IS NULL"),
                     N);
}

static void test_link_minted_on_delivery_never_stored(void **state)
{
    env *e = *state;
    e->cfg.base_url = "https://portaal.example.nl";
    long long person = add_person(e);
    long long id = enqueue_link(e, person);
    assert_true(id > 0);
    /* queued: the row holds the marker and the request, no token exists */
    assert_non_null(strstr(col(e, id, "body_text"), MAIL_LINK_MARKER));
    assert_string_equal(col(e, id, "link_kind"), "reset");
    assert_string_equal(col(e, id, "link_path"), "/wachtwoord-instellen");
    assert_int_equal(count(e, "SELECT count(*) + $1 AS n FROM account_tokens"), 0);

    assert_int_equal(mail_deliver_due(e->d, &e->cfg), 1);
    char *m = eml(e, id);
    assert_null(strstr(m, MAIL_LINK_MARKER));
    assert_non_null(strstr(m, "https://portaal.example.nl/wachtwoord-instellen?token="));
    const char *token = token_in(e, m);
    /* the token is nowhere in the outbox; its hash is in account_tokens */
    assert_null(strstr(col(e, id, "body_text"), token));
    assert_null(strstr(col(e, id, "body_html"), token));
    assert_int_equal(count(e, "SELECT count(*) + $1 AS n FROM account_tokens"), 1);
    assert_int_equal(count(e, "SELECT count(*) + $1 AS n FROM account_tokens WHERE kind = 'reset'"
                              " AND data = 'extra' AND used_at IS NULL"
                              " AND expires_at - created_at = 3600"),
                     1);
}

static void test_link_enqueue_checks(void **state)
{
    env *e = *state;
    mail_link l = {"reset", 1, NULL, 3600, "/wachtwoord-instellen"};
    mail_msg m = {
        .to_address = "jan@example.nl", .subject = "S", .text = "geen plaats", .link = &l};
    db_conn *c = db_acquire(e->d);
    assert_int_equal(mail_enqueue(c, e->a, &m), -1); /* no marker: the link would be lost */
    m.text = MAIL_LINK_MARKER;
    l.path = "https://elders.example/";
    assert_int_equal(mail_enqueue(c, e->a, &m), -1);
    l.path = "/x?y=1";
    assert_int_equal(mail_enqueue(c, e->a, &m), -1);
    l.path = "/x";
    l.ttl_seconds = 0;
    assert_int_equal(mail_enqueue(c, e->a, &m), -1);
    l.ttl_seconds = 60;
    l.kind = "";
    assert_int_equal(mail_enqueue(c, e->a, &m), -1);
    db_release(e->d, c);
}

static void test_retry_mints_again_and_voids_the_previous(void **state)
{
    env *e = *state;
    e->cfg.base_url = "http://127.0.0.1:8080";
    long long person = add_person(e);
    long long id = enqueue_link(e, person);
    use_closed_smtp(e);
    assert_int_equal(mail_deliver_due(e->d, &e->cfg), 0);
    assert_int_equal(count(e, "SELECT count(*) + $1 AS n FROM account_tokens"), 1);
    e->cfg.smtp_url = NULL;
    clock_set_offset(31);
    assert_int_equal(mail_deliver_due(e->d, &e->cfg), 1);
    assert_int_equal(count(e, "SELECT count(*) + $1 AS n FROM account_tokens"), 2);
    assert_int_equal(
        count(e, "SELECT count(*) + $1 AS n FROM account_tokens WHERE used_at IS NULL"), 1);
    assert_non_null(token_in(e, eml(e, id)));
}

static void test_late_retry_of_an_older_link_is_not_sent(void **state)
{
    env *e = *state;
    e->cfg.base_url = "http://127.0.0.1:8080";
    long long person = add_person(e);
    long long older = enqueue_link(e, person);
    use_closed_smtp(e);
    assert_int_equal(mail_deliver_due(e->d, &e->cfg), 0); /* the older one fails */
    long long newer = enqueue_link(e, person);
    e->cfg.smtp_url = NULL;
    assert_int_equal(mail_deliver_due(e->d, &e->cfg), 1); /* only the newer is due */
    const char *live = token_in(e, eml(e, newer));
    clock_set_offset(31);
    assert_int_equal(mail_deliver_due(e->d, &e->cfg), 0); /* the older: superseded */
    assert_null(eml(e, older));
    assert_string_equal(col(e, older, "sent_at"), "");
    assert_non_null(strstr(col(e, older, "last_error"), "nieuwere link"));
    assert_int_equal(mail_deliver_due(e->d, &e->cfg), 0);
    clock_set_offset(100000);
    assert_int_equal(mail_deliver_due(e->d, &e->cfg), 0); /* given up: never due again */
    assert_int_equal(
        count(e, "SELECT count(*) + $1 AS n FROM account_tokens WHERE used_at IS NULL"), 1);
    (void)live;
}

static void test_link_not_sent_to_an_address_the_account_left(void **state)
{
    env *e = *state;
    long long person = add_person(e);
    long long id = enqueue_link(e, person);
    exec(e, "UPDATE persons SET email = 'jan.nieuw@example.nl'");
    assert_int_equal(mail_deliver_due(e->d, &e->cfg), 0);
    assert_null(eml(e, id));
    assert_non_null(strstr(col(e, id, "last_error"), "hoort niet meer bij het account"));
    assert_int_equal(count(e, "SELECT count(*) + $1 AS n FROM account_tokens"), 0);

    /* a link that carries the new address (an e-mail change) goes to it */
    mail_link l = {"email", person, "ander@example.nl", 3600, "/mijn/gegevens/email/bevestigen"};
    mail_msg m = {.to_address = "ander@example.nl",
                  .subject = "Bevestig",
                  .text = MAIL_LINK_MARKER,
                  .link = &l};
    db_conn *c = db_acquire(e->d);
    long long id2 = mail_enqueue(c, e->a, &m);
    db_release(e->d, c);
    assert_int_equal(mail_deliver_due(e->d, &e->cfg), 1);
    assert_non_null(strstr(eml(e, id2), "/mijn/gegevens/email/bevestigen?token="));
}

/* ---- SMTP and TLS -------------------------------------------------------- */

static void test_smtp_tls_required_off_loopback(void **state)
{
    (void)state;
    assert_int_equal(mail_smtp_tls_level("smtp://127.0.0.1:2525"), CURLUSESSL_TRY);
    assert_int_equal(mail_smtp_tls_level("smtp://127.8.9.10"), CURLUSESSL_TRY);
    assert_int_equal(mail_smtp_tls_level("smtp://[::1]:25"), CURLUSESSL_TRY);
    assert_int_equal(mail_smtp_tls_level("smtp://user:pw@127.0.0.1:25"), CURLUSESSL_TRY);
    assert_int_equal(mail_smtp_tls_level("smtp://192.0.2.10:25"), CURLUSESSL_ALL);
    assert_int_equal(mail_smtp_tls_level("smtp://10.0.0.1"), CURLUSESSL_ALL);
    assert_int_equal(mail_smtp_tls_level("smtp://[2001:db8::1]:587"), CURLUSESSL_ALL);
    assert_int_equal(mail_smtp_tls_level("smtp://mail.example.invalid:587"), CURLUSESSL_ALL);
    assert_int_equal(mail_smtp_tls_level("smtps://127.0.0.1:465"), CURLUSESSL_ALL);
    assert_int_equal(mail_smtp_tls_level("smtp://"), CURLUSESSL_ALL);
}

int main(void)
{
    log_set_quiet(1);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_enqueue_validation, setup, teardown),
        cmocka_unit_test_setup_teardown(test_enqueue_long_name_shortened, setup, teardown),
        cmocka_unit_test_setup_teardown(test_deliver_to_file, setup, teardown),
        cmocka_unit_test_setup_teardown(test_deliver_all_due_in_order, setup, teardown),
        cmocka_unit_test_setup_teardown(test_failure_backs_off_and_retries, setup, teardown),
        cmocka_unit_test_setup_teardown(test_backoff_schedule_and_give_up, setup, teardown),
        cmocka_unit_test_setup_teardown(test_claimed_message_not_taken, setup, teardown),
        cmocka_unit_test_setup_teardown(test_resend_after_crash_overwrites, setup, teardown),
        cmocka_unit_test_setup_teardown(test_concurrent_senders_send_once, setup, teardown),
        cmocka_unit_test_setup_teardown(test_two_sender_processes_send_each_once, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sender_thread, setup, teardown),
        cmocka_unit_test_setup_teardown(test_cli, setup, teardown),
        cmocka_unit_test_setup_teardown(test_link_minted_on_delivery_never_stored, setup, teardown),
        cmocka_unit_test_setup_teardown(test_link_enqueue_checks, setup, teardown),
        cmocka_unit_test_setup_teardown(test_retry_mints_again_and_voids_the_previous, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_late_retry_of_an_older_link_is_not_sent, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_link_not_sent_to_an_address_the_account_left, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_smtp_tls_required_off_loopback, setup, teardown),
    };
    int failed = cmocka_run_group_tests_name("outbox on SQLite", tests, NULL, NULL);
    pg_url = getenv("KP_TEST_PG_URL");
    if (!pg_url || !*pg_url) {
        print_message("KP_TEST_PG_URL is not set: skipping the PostgreSQL run\n");
        return failed;
    }
    return failed + cmocka_run_group_tests_name("outbox on PostgreSQL", tests, NULL, NULL);
}
