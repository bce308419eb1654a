/* test_people.c - finding and making persons on a temporary SQLite database migrated with
 * the real migrations (run from the repository root), and again on
 * PostgreSQL when KP_TEST_PG_URL is set (a schema of its own per test). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <pthread.h>
#include <unistd.h>

#include "core/timeutil.h"
#include "core/email.h"
#include "people/people.h"

#include "migrated_db.h"

static int find(env *e, const person_new *p, person_found *out)
{
    db_conn *c = db_acquire(e->d);
    int rc = people_find_or_create(c, e->a, p, out);
    db_release(e->d, c);
    return rc;
}

static void test_names_and_addresses(void **state)
{
    env *e = *state;
    assert_string_equal(people_full_name(e->a, "Jan", "de", "Vries"), "Jan de Vries");
    assert_string_equal(people_full_name(e->a, "Deby", "", "Rummens - Heijnen"),
                        "Deby Rummens - Heijnen");
    assert_string_equal(people_full_name(e->a, "Deby", NULL, "Rummens - Heijnen"),
                        "Deby Rummens - Heijnen");
    assert_string_equal(email_normal(e->a, "  Jan.De.Vries@Example.NL "),
                        "jan.de.vries@example.nl");
    assert_null(email_normal(e->a, "geen adres"));
    assert_null(email_normal(e->a, "jan@localhost"));
    assert_null(email_normal(e->a, "zoë@example.nl"));
}

static void test_find_or_create(void **state)
{
    env *e = *state;
    person_found a, b;
    assert_int_equal(
        find(e, &(person_new){"Femke", NULL, "Groen", "Femke.Groen@Example.nl", 0}, &a), 0);
    assert_true(a.created);
    assert_false(a.has_login);
    /* the same address, typed otherwise and with another name: found, unchanged */
    assert_int_equal(
        find(e, &(person_new){"Onbekend", "van", "Anders", " femke.groen@example.NL", 0}, &b), 0);
    assert_false(b.created);
    assert_int_equal(b.id, a.id);
    assert_int_equal(scalar(e, "SELECT count(*) FROM persons WHERE first_name = 'Femke'"
                               " AND last_name = 'Groen' AND email = 'femke.groen@example.nl'"),
                     1);
    assert_int_equal(scalar(e, "SELECT count(*) FROM persons"), 1);
    /* staff marks an existing account, without touching its name */
    assert_int_equal(find(e, &(person_new){"X", NULL, "Y", "femke.groen@example.nl", 1}, &b), 0);
    assert_int_equal(scalar(e, "SELECT is_staff FROM persons"), 1);
    assert_int_equal(scalar(e, "SELECT count(*) FROM persons WHERE first_name = 'Femke'"), 1);
    assert_int_equal(find(e, &(person_new){"A", NULL, "B", "geen-adres", 0}, &b), -2);
    /* the database itself holds one person per address, whatever its case */
    db_conn *c = db_acquire(e->d);
    assert_int_equal(db_q(c, e->a, NULL,
                          "INSERT INTO persons (first_name, last_name, email, created_at,"
                          " updated_at) VALUES ($1, $2, $3, 1, 1)",
                          "F", "G", "FEMKE.GROEN@example.nl"),
                     -1);
    assert_int_equal(db_errkind_of(c), DB_ERR_UNIQUE);
    db_release(e->d, c);
}

/* A contact without an address (a gardener): always a new person, stored
 * with email '', which no lookup by address ever finds; an address that is
 * there stays unique. */
static void test_without_address(void **state)
{
    env *e = *state;
    person_found a, b, c;
    assert_int_equal(find(e, &(person_new){"Gert", NULL, "Hovenier", NULL, 0}, &a), 0);
    assert_int_equal(find(e, &(person_new){"Gert", NULL, "Hovenier", "", 0}, &b), 0);
    assert_true(a.created && b.created);
    assert_int_not_equal(a.id, b.id);
    assert_false(a.has_login || b.has_login);
    assert_int_equal(scalar(e, "SELECT count(*) FROM persons WHERE email = ''"), 2);
    /* blanks are no address and no "none" either */
    assert_int_equal(find(e, &(person_new){"A", NULL, "B", "   ", 0}, &c), -2);
    /* an address is found as before, never one of those without */
    assert_int_equal(find(e, &(person_new){"Femke", NULL, "Groen", "femke@example.nl", 0}, &c), 0);
    assert_true(c.created);
    assert_int_equal(find(e, &(person_new){"F", NULL, "G", "FEMKE@example.nl", 0}, &b), 0);
    assert_false(b.created);
    assert_int_equal(b.id, c.id);
    db_conn *conn = db_acquire(e->d);
    assert_int_equal(db_q(conn, e->a, NULL,
                          "INSERT INTO persons (first_name, last_name, email, created_at,"
                          " updated_at) VALUES ($1, $2, $3, 1, 1)",
                          "F", "G", "Femke@example.nl"),
                     -1);
    assert_int_equal(db_errkind_of(conn), DB_ERR_UNIQUE);
    db_release(e->d, conn);
}

typedef struct racer {
    db *d;
    person_found out;
    int rc;
} racer;

/* What a bezoeker typed goes onto the person made from their sign-up;
 * what is left out stays empty. */
static void test_details(void **state)
{
    env *e = *state;
    person_found p;
    assert_int_equal(find(e, &(person_new){"Klaas", "de", "Boer", "klaas@voorbeeld.nl", 0}, &p), 0);
    db_conn *c = db_acquire(e->d);
    person_details d = {"Dorpsstraat", "12a", "1741 BC", "Schagen", NULL, "1980-05-17"};
    assert_int_equal(people_set_details(c, e->a, p.id, &d), 0);
    assert_int_equal(people_set_details(c, e->a, p.id + 1000, &d), -1);
    db_release(e->d, c);
    assert_int_equal(scalar(e, "SELECT count(*) FROM persons WHERE street = 'Dorpsstraat' AND"
                               " house_number = '12a' AND postcode = '1741 BC' AND city = 'Schagen'"
                               " AND phone = '' AND birth_date = '1980-05-17'"),
                     1);
}

static void *race(void *arg)
{
    racer *r = arg;
    db_conn *c = db_acquire(r->d);
    arena *a = arena_new(0);
    r->rc = people_find_or_create(
        c, a, &(person_new){"Nieuw", NULL, "Persoon", "nieuw@example.nl", 0}, &r->out);
    arena_free(a);
    db_release(r->d, c);
    return NULL;
}

/* Two servers asking for the same new address at once: one person. */
static void test_same_address_at_once(void **state)
{
    env *e = *state;
    db *other;
    char err[512];
    assert_int_equal(db_open(e->url, 2, &other, err, sizeof err), 0);
    racer r1 = {e->d, {0}, -9}, r2 = {other, {0}, -9};
    pthread_t t1, t2;
    pthread_create(&t1, NULL, race, &r1);
    pthread_create(&t2, NULL, race, &r2);
    pthread_join(t1, NULL);
    pthread_join(t2, NULL);
    db_close(other);
    assert_int_equal(r1.rc, 0);
    assert_int_equal(r2.rc, 0);
    assert_int_equal(r1.out.id, r2.out.id);
    assert_int_equal(r1.out.created + r2.out.created, 1);
    assert_int_equal(scalar(e, "SELECT count(*) FROM persons"), 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_names_and_addresses, setup, teardown),
        cmocka_unit_test_setup_teardown(test_find_or_create, setup, teardown),
        cmocka_unit_test_setup_teardown(test_same_address_at_once, setup, teardown),
        cmocka_unit_test_setup_teardown(test_without_address, setup, teardown),
        cmocka_unit_test_setup_teardown(test_details, setup, teardown),
    };
    int failed = cmocka_run_group_tests_name("people on SQLite", tests, NULL, NULL);
    pg_url = getenv("KP_TEST_PG_URL");
    if (!pg_url || !*pg_url) {
        print_message("KP_TEST_PG_URL is not set: skipping the PostgreSQL run\n");
        return failed;
    }
    return failed + cmocka_run_group_tests_name("people on PostgreSQL", tests, NULL, NULL);
}
