/* Unit tests: the loopback check resolves names and looks at every address
 * (core/privdrop.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/privdrop.h"

static void loopback_addresses(void **state)
{
    (void)state;
    assert_true(priv_is_loopback("127.0.0.1"));
    assert_true(priv_is_loopback("127.8.9.10"));
    assert_true(priv_is_loopback("::1"));
    assert_true(priv_is_loopback("::ffff:127.0.0.1"));
    assert_true(priv_is_loopback("localhost"));
}

static void other_addresses(void **state)
{
    (void)state;
    assert_false(priv_is_loopback("0.0.0.0"));
    assert_false(priv_is_loopback("::"));
    assert_false(priv_is_loopback("10.0.0.1"));
    assert_false(priv_is_loopback("128.0.0.1"));
    assert_false(priv_is_loopback("::ffff:10.0.0.1"));
    assert_false(priv_is_loopback(""));
    assert_false(priv_is_loopback(NULL));
}

/* A name that merely starts like a loopback address is not one: it does
 * not resolve here, and would resolve to whatever its owner likes. */
static void names_that_look_like_loopback(void **state)
{
    (void)state;
    assert_false(priv_is_loopback("127.0.0.1.invalid"));
    assert_false(priv_is_loopback("127.evil.invalid"));
}

/* As root: a folder behind a symlink is never handed over (the service
 * user could point it at /usr/local/sbin); a new folder is. */
static void symlinked_folder_not_handed_over(void **state)
{
    (void)state;
    const struct passwd *pw = getpwnam("klantportal");
    if (geteuid() != 0 || !pw) skip();
    char top[] = "/tmp/kp_privdrop_XXXXXX";
    assert_non_null(mkdtemp(top));
    chmod(top, 0755); /* the user must reach what it is given */
    char real[64], link[80], fresh[64], err[256];
    snprintf(real, sizeof real, "%s/echt", top);
    snprintf(link, sizeof link, "%s/koppeling", top);
    snprintf(fresh, sizeof fresh, "%s/nieuw", top);
    assert_int_equal(mkdir(real, 0755), 0);
    assert_int_equal(symlink(real, link), 0);
    priv_own_dir("klantportal", link, err, sizeof err);
    struct stat st;
    assert_int_equal(stat(real, &st), 0);
    assert_int_equal(st.st_uid, 0);
    assert_int_equal(priv_own_dir("klantportal", fresh, err, sizeof err), 0);
    assert_int_equal(stat(fresh, &st), 0);
    assert_int_equal(st.st_uid, pw->pw_uid);
    assert_int_equal(st.st_mode & 0777, 0700);
    rmdir(fresh);
    unlink(link);
    rmdir(real);
    rmdir(top);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(loopback_addresses),
        cmocka_unit_test(other_addresses),
        cmocka_unit_test(names_that_look_like_loopback),
        cmocka_unit_test(symlinked_folder_not_handed_over),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
