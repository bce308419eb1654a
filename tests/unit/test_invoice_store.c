/* Issuing invoices on the real schema (SQLite, and PostgreSQL with
 * KP_TEST_PG_URL): one invoice per party with a line per registration, the
 * issued copy that later changes leave alone, numbers without gap or
 * duplicate under concurrent runs, credit notes, payment, scoping. */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "migrated_db.h"

#include "invoicing/store.h"

static const inv_actor STAFF = {0, "127.0.0.1"};
#define TODAY "2026-12-01"

static long long ins(env *e, const char *sql)
{
    db_conn *c = db_acquire(e->d);
    db_res *r;
    int n = db_query(c, e->a, &r, sql, 0, NULL);
    if (n < 0) print_error("%s: %s\n", sql, db_errmsg(c));
    assert_true(n >= 0);
    long long id = n > 0 ? db_int(r, 0, "id") : 0;
    db_release(e->d, c);
    return id;
}

static void exec(env *e, const char *sql)
{
    (void)ins(e, sql);
}

/* An organisation, two persons, a 21 % course and an exempt one, an event
 * each; returns the organisation's id. */
static long long world(env *e, long long *p1, long long *p2, long long *ev21, long long *ev0)
{
    long long org = ins(e, "INSERT INTO organisations (name, visit_street, visit_house_number, "
                           "visit_postcode, visit_city, invoice_email, kvk_number, created_at, "
                           "updated_at) VALUES ('Gemeente Test', 'Raadhuisplein', '1', '1701 AA', "
                           "'Heerhugowaard', 'facturen@gemeente.example', '12345678', 0, 0) "
                           "RETURNING id");
    *p1 = ins(e, "INSERT INTO persons (first_name, infix, last_name, email, street, house_number, "
                 "postcode, city, created_at, updated_at) VALUES ('Jan', 'de', 'Vries', "
                 "'jan@example.nl', 'Laan', '2', '1702 BB', 'Heerhugowaard', 0, 0) RETURNING id");
    *p2 = ins(e, "INSERT INTO persons (first_name, last_name, email, street, house_number, "
                 "postcode, city, created_at, updated_at) VALUES ('Martin', 'Sommer', "
                 "'martin@example.nl', 'Dorpsweg', '5', '1781 AA', 'Den Helder', 0, 0) "
                 "RETURNING id");
    long long c21 = ins(e, "INSERT INTO courses (slug, name, vat_rate, created_at) VALUES "
                           "('bhv', 'BHV', 21, 0) RETURNING id");
    long long c0 = ins(e, "INSERT INTO courses (slug, name, vat_rate, created_at) VALUES "
                          "('vca', 'VCA', 0, 0) RETURNING id");
    char sql[512];
    snprintf(sql, sizeof sql,
             "INSERT INTO events (course_id, name, starts_on, ends_on, capacity, price_cents, "
             "created_at) VALUES (%lld, 'BHV basis', '2026-12-10', '2026-12-10', 100, 12100, 0) "
             "RETURNING id",
             c21);
    *ev21 = ins(e, sql);
    snprintf(sql, sizeof sql,
             "INSERT INTO events (course_id, name, starts_on, ends_on, capacity, price_cents, "
             "created_at) VALUES (%lld, 'VCA dag', '2026-11-20', '2026-11-20', 100, 9500, 0) "
             "RETURNING id",
             c0);
    *ev0 = ins(e, sql);
    return org;
}

static long long reg(env *e, long long event, long long person, long long org, long long price,
                     const char *ref)
{
    char sql[512];
    snprintf(sql, sizeof sql,
             "INSERT INTO registrations (event_id, person_id, organisation_id, status, "
             "price_cents, reference, created_at, processed_at) VALUES (%lld, %lld, %s, "
             "'verwerkt', %lld, '%s', 0, 0) RETURNING id",
             event, person, org ? "(SELECT min(id) FROM organisations)" : "NULL", price, ref);
    return ins(e, sql);
}

static void one_invoice_per_party_as_issued(void **state)
{
    env *e = *state;
    long long p1, p2, ev21, ev0;
    long long org = world(e, &p1, &p2, &ev21, &ev0);
    reg(e, ev21, p1, 1, 12100, "PO-77");
    reg(e, ev0, p1, 1, 9500, "PO-77");
    reg(e, ev21, p2, 0, 12100, "");

    db_conn *c = db_acquire(e->d);
    const char **numbers;
    int n;
    assert_int_equal(inv_issue(c, e->a, &(inv_select){0}, &STAFF, TODAY, &numbers, &n), 0);
    assert_int_equal(n, 2);
    assert_string_equal(numbers[0], "2026-000001");
    assert_string_equal(numbers[1], "2026-000002");

    /* the organisation's invoice: a line per registration, VAT per rate */
    inv_invoice *inv;
    inv_scope as_org = {0, org, 0};
    int which = inv_load(c, e->a, &as_org, numbers[0], &inv) == 1 ? 0 : 1;
    assert_int_equal(inv_load(c, e->a, &as_org, numbers[which], &inv), 1);
    assert_int_equal(inv->nlines, 2);
    assert_string_equal(inv->party.name, "Gemeente Test");
    assert_string_equal(inv->party.kvk, "12345678");
    assert_string_equal(inv->party.email, "facturen@gemeente.example");
    assert_string_equal(inv->reference, "PO-77");
    assert_string_equal(inv->due_date, "2026-12-31");
    assert_int_equal(inv->net_cents, 10000 + 9500);
    assert_int_equal(inv->vat_cents, 2100);
    assert_int_equal(inv->total_cents, 21600);
    assert_int_equal(inv->nvats, 2);
    assert_string_equal(inv->seller.iban, "NL91ABNA0417164300");

    /* a later change of address or price changes nothing issued */
    exec(e, "UPDATE organisations SET name = 'Gemeente Anders', visit_street = 'Elders'");
    exec(e, "UPDATE registrations SET price_cents = 1");
    assert_int_equal(inv_load(c, e->a, &as_org, numbers[which], &inv), 1);
    assert_string_equal(inv->party.name, "Gemeente Test");
    assert_string_equal(inv->party.street, "Raadhuisplein");
    assert_int_equal(inv->total_cents, 21600);

    /* the person sees only their own; nothing is pending any more */
    inv_scope as_martin = {p2, 0, 0};
    assert_int_equal(inv_load(c, e->a, &as_martin, numbers[which], &inv), 0);
    assert_int_equal(inv_load(c, e->a, &as_martin, numbers[1 - which], &inv), 1);
    assert_string_equal(inv->party.name, "Martin Sommer");
    assert_int_equal(inv_list(c, e->a, &as_martin)->nrows, 1);
    assert_int_equal(inv_issue(c, e->a, &(inv_select){0}, &STAFF, TODAY, &numbers, &n), 0);
    assert_int_equal(n, 0);
    db_release(e->d, c);
    assert_int_equal(scalar(e, "SELECT count(*) FROM jobs WHERE kind = 'factuur-mail'"), 2);
    assert_int_equal(scalar(e, "SELECT count(*) FROM audit_log WHERE action = 'factuur_gemaakt'"),
                     2);
}

typedef struct racer {
    env *e;
    long long registration;
    int rc;
} racer;

static void *race(void *arg)
{
    racer *r = arg;
    db_conn *c = db_acquire(r->e->d);
    arena *a = arena_new(0);
    const char **numbers;
    int n;
    r->rc = inv_issue(c, a, &(inv_select){.registration_id = r->registration}, &STAFF, TODAY,
                      &numbers, &n);
    if (n != 1) r->rc = -2;
    arena_free(a);
    db_release(r->e->d, c);
    return NULL;
}

/* Eight runs at once, each on its own connection: eight numbers in a row. */
static void numbers_without_gap_when_concurrent(void **state)
{
    env *e = *state;
    long long p1, p2, ev21, ev0;
    world(e, &p1, &p2, &ev21, &ev0);
    racer rs[8];
    pthread_t th[8];
    for (int i = 0; i < 8; i++) {
        char sql[256];
        snprintf(sql, sizeof sql,
                 "INSERT INTO persons (first_name, last_name, email, created_at, updated_at) "
                 "VALUES ('P', 'Nr%d', 'p%d@example.nl', 0, 0) RETURNING id",
                 i, i);
        rs[i] = (racer){e, reg(e, ev21, ins(e, sql), 0, 5000, ""), 0};
    }
    for (int i = 0; i < 8; i++)
        pthread_create(&th[i], NULL, race, &rs[i]);
    for (int i = 0; i < 8; i++) {
        pthread_join(th[i], NULL);
        assert_int_equal(rs[i].rc, 0);
    }
    assert_int_equal(scalar(e, "SELECT count(DISTINCT number) FROM invoices"), 8);
    assert_int_equal(scalar(e, "SELECT count(*) FROM invoices WHERE number IN ('2026-000001', "
                               "'2026-000002', '2026-000003', '2026-000004', '2026-000005', "
                               "'2026-000006', '2026-000007', '2026-000008')"),
                     8);
    assert_int_equal(scalar(e, "SELECT last_seq FROM invoice_counters WHERE year = 2026"), 8);
}

static void credit_note_for_a_cancelled_registration(void **state)
{
    env *e = *state;
    long long p1, p2, ev21, ev0;
    world(e, &p1, &p2, &ev21, &ev0);
    long long r = reg(e, ev21, p2, 0, 12100, "");
    db_conn *c = db_acquire(e->d);
    const char **numbers;
    int n;
    assert_int_equal(inv_issue(c, e->a, &(inv_select){0}, &STAFF, TODAY, &numbers, &n), 0);
    const char *number, *why;
    assert_int_equal(inv_issue_credit(c, e->a, r, &STAFF, TODAY, &number, &why), 1);
    assert_string_equal(why, "Deze inschrijving is niet geannuleerd; alleen een geannuleerde "
                             "inschrijving wordt gecrediteerd.");
    exec(e, "UPDATE registrations SET status = 'geannuleerd'");
    assert_int_equal(inv_credit_pending(c, e->a)->nrows, 1);
    assert_int_equal(inv_issue_credit(c, e->a, r, &STAFF, TODAY, &number, &why), 0);
    assert_string_equal(number, "2026-000002");
    inv_invoice *cn;
    assert_int_equal(inv_load(c, e->a, &(inv_scope){p2, 0, 0}, number, &cn), 1);
    assert_true(cn->credit);
    assert_string_equal(cn->credit_of_number, "2026-000001");
    assert_int_equal(cn->total_cents, -12100);
    assert_int_equal(cn->vat_cents, -2100);
    assert_int_equal(inv_credit_pending(c, e->a)->nrows, 0);
    assert_int_equal(inv_issue_credit(c, e->a, r, &STAFF, TODAY, &number, &why), 1);
    assert_string_equal(why, "Deze inschrijving is al gecrediteerd.");

    assert_int_equal(inv_mark_paid(c, e->a, "2026-000001", "2026-12-05", &STAFF), 0);
    assert_int_equal(inv_mark_paid(c, e->a, "2026-000001", "2026-12-05", &STAFF), 1);
    db_release(e->d, c);
    assert_int_equal(scalar(e, "SELECT count(*) FROM invoices WHERE status = 'betaald' AND "
                               "paid_on = '2026-12-05'"),
                     1);
}

static void maatwerk_as_one_line(void **state)
{
    env *e = *state;
    long long p1, p2, ev21, ev0;
    long long org = world(e, &p1, &p2, &ev21, &ev0);
    char sql[256];
    snprintf(sql, sizeof sql, "UPDATE courses SET maatwerk_org_id = %lld WHERE slug = 'bhv'", org);
    exec(e, sql);
    reg(e, ev21, p1, 1, 0, "INK-1");
    db_conn *c = db_acquire(e->d);
    const char **numbers;
    int n;
    /* maatwerk is not invoiced per participant */
    assert_int_equal(inv_issue(c, e->a, &(inv_select){0}, &STAFF, TODAY, &numbers, &n), 0);
    assert_int_equal(n, 0);
    const char *number, *why;
    assert_int_equal(inv_issue_event(c, e->a, ev0, "x", 100, 21, &STAFF, TODAY, &number, &why), 1);
    assert_int_equal(
        inv_issue_event(c, e->a, ev21, "Incompany BHV", 150000, 0, &STAFF, TODAY, &number, &why),
        0);
    inv_invoice *inv;
    assert_int_equal(inv_load(c, e->a, &(inv_scope){0, org, 0}, number, &inv), 1);
    assert_int_equal(inv->nlines, 1);
    assert_int_equal(inv->total_cents, 150000);
    assert_string_equal(inv->reference, "INK-1");
    assert_int_equal(
        inv_issue_event(c, e->a, ev21, "Nog eens", 100, 21, &STAFF, TODAY, &number, &why), 1);
    assert_string_equal(why, "Dit evenement is al gefactureerd.");
    db_release(e->d, c);
}

/* References of many registrations are joined and cut at 200 bytes, never
 * inside a character (PostgreSQL refuses half a character). */
static void long_references_cut_whole(void **state)
{
    env *e = *state;
    long long p1, p2, ev21, ev0;
    world(e, &p1, &p2, &ev21, &ev0);
    char ref[3][128];
    for (int k = 0; k < 3; k++) {
        memset(ref[k], 0, sizeof ref[k]);
        ref[k][0] = (char)('a' + k); /* odd start: the cut falls inside an é */
        for (int i = 0; i < 50; i++)
            strcat(ref[k], "é");
    }
    reg(e, ev21, p1, 1, 12100, ref[0]);
    reg(e, ev0, p1, 1, 9500, ref[1]);
    reg(e, ev0, p2, 1, 9500, ref[2]);
    db_conn *c = db_acquire(e->d);
    const char **numbers;
    int n;
    assert_int_equal(inv_issue(c, e->a, &(inv_select){0}, &STAFF, TODAY, &numbers, &n), 0);
    assert_int_equal(n, 1);
    inv_invoice *inv;
    assert_int_equal(inv_load_id(c, e->a, 1, &inv), 1);
    size_t len = strlen(inv->reference);
    assert_true(len <= 200 && len > 150);
    assert_int_not_equal((unsigned char)inv->reference[len - 1], 0xC3); /* no lead byte alone */
    db_release(e->d, c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(one_invoice_per_party_as_issued, setup, teardown),
        cmocka_unit_test_setup_teardown(numbers_without_gap_when_concurrent, setup, teardown),
        cmocka_unit_test_setup_teardown(credit_note_for_a_cancelled_registration, setup, teardown),
        cmocka_unit_test_setup_teardown(maatwerk_as_one_line, setup, teardown),
        cmocka_unit_test_setup_teardown(long_references_cut_whole, setup, teardown),
    };
    int failed = cmocka_run_group_tests_name("invoices on SQLite", tests, NULL, NULL);
    pg_url = getenv("KP_TEST_PG_URL");
    if (!pg_url || !*pg_url) return failed;
    return failed | cmocka_run_group_tests_name("invoices on PostgreSQL", tests, NULL, NULL);
}
