/* test_secretbox.c - the secret key file and sealing short secrets. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/secretbox.h"

typedef struct env {
    char dir[64];
    char path[128];
    arena *a;
} env;

static int setup(void **state)
{
    env *e = calloc(1, sizeof *e);
    snprintf(e->dir, sizeof e->dir, "/tmp/kp_test_secretbox_XXXXXX");
    if (!mkdtemp(e->dir)) return -1;
    /* a folder that does not exist yet: the loader makes it */
    snprintf(e->path, sizeof e->path, "%s/var/klantportal.key", e->dir);
    e->a = arena_new(0);
    *state = e;
    return sodium_init() < 0 ? -1 : 0;
}

static int teardown(void **state)
{
    env *e = *state;
    unlink(e->path);
    char var[128];
    snprintf(var, sizeof var, "%s/var", e->dir);
    rmdir(var);
    rmdir(e->dir);
    arena_free(e->a);
    free(e);
    return 0;
}

static void test_created_0600_and_loaded_again(void **state)
{
    env *e = *state;
    secret_key k1, k2;
    char err[256] = "";
    assert_int_equal(secret_key_load(e->path, &k1, err, sizeof err), 0);
    struct stat st;
    assert_int_equal(stat(e->path, &st), 0);
    assert_int_equal(st.st_mode & 07777, 0600);
    assert_int_equal(st.st_size, SECRET_KEY_BYTES);
    assert_int_equal(secret_key_load(e->path, &k2, err, sizeof err), 0);
    assert_memory_equal(k1.bytes, k2.bytes, SECRET_KEY_BYTES);
    static const unsigned char zero[SECRET_KEY_BYTES];
    assert_memory_not_equal(k1.bytes, zero, SECRET_KEY_BYTES);
}

static void test_refuses_open_permissions_and_wrong_size(void **state)
{
    env *e = *state;
    secret_key k;
    char err[256] = "";
    assert_int_equal(secret_key_load(e->path, &k, err, sizeof err), 0);
    chmod(e->path, 0644);
    assert_int_equal(secret_key_load(e->path, &k, err, sizeof err), -1);
    assert_non_null(strstr(err, "0600"));
    chmod(e->path, 0600);
    FILE *f = fopen(e->path, "ab");
    fputc('x', f);
    fclose(f);
    assert_int_equal(secret_key_load(e->path, &k, err, sizeof err), -1);
    assert_non_null(strstr(err, "32 bytes"));
}

static void test_round_trip(void **state)
{
    env *e = *state;
    secret_key k;
    char err[256];
    assert_int_equal(secret_key_load(e->path, &k, err, sizeof err), 0);
    const char *secret = "JBSWY3DPEHPK3PXP";
    char *s1 = secret_seal(e->a, &k, secret);
    char *s2 = secret_seal(e->a, &k, secret);
    assert_non_null(s1);
    assert_null(strstr(s1, secret));
    assert_string_not_equal(s1, s2); /* a fresh nonce each time */
    assert_string_equal(secret_open(e->a, &k, s1), secret);
    assert_string_equal(secret_open(e->a, &k, s2), secret);
    assert_string_equal(secret_open(e->a, &k, secret_seal(e->a, &k, "")), "");
}

static void test_tampering_detected(void **state)
{
    env *e = *state;
    secret_key k;
    char err[256];
    assert_int_equal(secret_key_load(e->path, &k, err, sizeof err), 0);
    char *s = secret_seal(e->a, &k, "JBSWY3DPEHPK3PXP");
    size_t n = strlen(s);
    for (size_t i = 0; i + 2 < n; i += 3) { /* base64 padding at the end may not matter */
        char *t = arena_strdup(e->a, s);
        t[i] = t[i] == 'A' ? 'B' : 'A';
        assert_null(secret_open(e->a, &k, t));
    }
    assert_null(secret_open(e->a, &k, arena_strndup(e->a, s, n - 4)));
    assert_null(secret_open(e->a, &k, "niet base64!"));
    assert_null(secret_open(e->a, &k, ""));
    assert_null(secret_open(e->a, &k, NULL));
}

static void test_wrong_key(void **state)
{
    env *e = *state;
    secret_key k, other;
    char err[256];
    assert_int_equal(secret_key_load(e->path, &k, err, sizeof err), 0);
    other = k;
    other.bytes[0] ^= 1;
    char *s = secret_seal(e->a, &k, "JBSWY3DPEHPK3PXP");
    assert_null(secret_open(e->a, &other, s));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_created_0600_and_loaded_again, setup, teardown),
        cmocka_unit_test_setup_teardown(test_refuses_open_permissions_and_wrong_size, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_round_trip, setup, teardown),
        cmocka_unit_test_setup_teardown(test_tampering_detected, setup, teardown),
        cmocka_unit_test_setup_teardown(test_wrong_key, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
