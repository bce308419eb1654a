/* test_access.c - the access rules of the route flags (auth_allowed): who may
 * come in, per flag, for anonymous visitors, customers in each context and
 * staff. auth_before applies the same rules to every request. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "auth/session.h"
#include "http/http.h"

static int allowed(auth_ctx *who, unsigned flags)
{
    http_req rq = {0};
    rq.auth = who;
    return auth_allowed(&rq, flags);
}

static void test_flags(void **state)
{
    (void)state;
    auth_ctx person = {.person_id = 1};
    auth_ctx medewerker = {.person_id = 2, .org_id = 7};
    auth_ctx beheerder = {.person_id = 3, .org_id = 7, .beheerder = 1};
    auth_ctx staff = {.person_id = 4, .is_staff = 1};
    auth_ctx anonymous_session = {.person_id = 0};

    assert_true(allowed(NULL, 0));
    assert_false(allowed(NULL, RF_LOGIN));
    assert_false(allowed(&anonymous_session, RF_LOGIN));
    assert_true(allowed(&person, RF_LOGIN));

    assert_false(allowed(&person, RF_ORG));
    assert_true(allowed(&medewerker, RF_ORG));
    assert_false(allowed(&medewerker, RF_BEHEERDER));
    assert_true(allowed(&beheerder, RF_BEHEERDER));

    /* the back office: staff only, whatever else a customer may do */
    assert_false(allowed(NULL, RF_STAFF));
    assert_false(allowed(&person, RF_STAFF));
    assert_false(allowed(&beheerder, RF_STAFF));
    assert_true(allowed(&staff, RF_STAFF));
    assert_true(allowed(&staff, RF_LOGIN));
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_flags)};
    return cmocka_run_group_tests_name("access", tests, NULL, NULL);
}
