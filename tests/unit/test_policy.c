/* Unit tests: the password policy of the manual (auth/policy.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "auth/policy.h"

#define M_TOO_LONG "Gebruik maximaal 256 tekens."
#define M_LENGTH "Gebruik minimaal 8 tekens."
#define M_NAME "Gebruik geen (deel van) uw naam of e-mailadres."
#define M_GROUPS                                                                                   \
    "Gebruik tekens uit minimaal drie van de vier groepen: hoofdletters, kleine letters, cijfers " \
    "en vreemde tekens."
#define M_COMMON "Dit wachtwoord komt te vaak voor; kies een ander."

static const policy_person martin = {"martin.sommer@example.nl", "Martin", "Sommer"};
static const policy_person jan = {"jan.devries@example.nl", "Jan", "de Vries"};
static const policy_person deby = {"deby@example.nl", "Deby", "Rummens - Heijnen"};
static const policy_person nobody = {NULL, NULL, NULL};

/* Asserts the exact messages, in order; unused slots must be NULL. */
static void expect(const char *pw, const policy_person *who, int n, const char *m0, const char *m1)
{
    const char *msgs[POLICY_MAX_ERRORS];
    int got = policy_check(pw, who, msgs);
    if (got != n) fail_msg("\"%s\": %d messages, expected %d", pw, got, n);
    const char *want[POLICY_MAX_ERRORS] = {m0, m1, NULL, NULL};
    for (int i = 0; i < POLICY_MAX_ERRORS; i++) {
        if (want[i])
            assert_string_equal(msgs[i], want[i]);
        else
            assert_null(msgs[i]);
    }
}

static void ok(const char *pw, const policy_person *who)
{
    expect(pw, who, 0, NULL, NULL);
}

static void only(const char *pw, const policy_person *who, const char *msg)
{
    expect(pw, who, 1, msg, NULL);
}

static void strong_password_passes(void **state)
{
    (void)state;
    /* "Kievit!Zomer27" would fail: "mer" is a run of "sommer". */
    ok("Kievit!Zwaluw27", &martin);
    ok("Kievit!Zwaluw27", &nobody);
    ok("Kievit!Zwaluw27", NULL);
    only("Kievit!Zomer27", &martin, M_NAME);
}

static void length_rule(void **state)
{
    (void)state;
    only("Ab1!xyz", &nobody, M_LENGTH);
    ok("Ab1!xyzw", &nobody);
    /* Code points, not bytes: "ééééé1A" is 12 bytes but 7 characters. */
    only("ééééé1A", &nobody, M_LENGTH);
    ok("ééééééé1A", &nobody);
    expect("", &nobody, 2, M_LENGTH, M_GROUPS);
    expect(NULL, &nobody, 2, M_LENGTH, M_GROUPS);
}

static void too_long_is_refused_alone(void **state)
{
    (void)state;
    char pw[300];
    pw[0] = '\0';
    for (int i = 0; i < 16; i++)
        strcat(pw, "Kievit!Zwaluw27-"); /* 16 bytes each */
    assert_int_equal(strlen(pw), 256);
    ok(pw, &martin);
    strcat(pw, "x");
    only(pw, &martin, M_TOO_LONG);
    /* Even a password failing everything else gets only that message. */
    memset(pw, 'a', 257);
    pw[257] = '\0';
    only(pw, &nobody, M_TOO_LONG);
}

static void groups_rule(void **state)
{
    (void)state;
    only("abcdefgh1", &nobody, M_GROUPS);
    ok("abcdefgh1!", &nobody);
    only("kievitzwaluw", &nobody, M_GROUPS);
    only("KIEVIT!ZWALUW", &nobody, M_GROUPS);
    ok("KIEVIT!ZWALUW2", &nobody);
    ok("kievit zwaluw2", &nobody); /* a space is a "vreemd teken" */
    ok("KievitZwaluw2", &nobody);
    ok("ééééééé1A", &nobody); /* non-ASCII letters count as "other" */
}

static void manual_example(void **state)
{
    (void)state;
    /* "$omm" folds to "somm"; exactly the name message, nothing else. */
    only("$omm1234Q", &martin, M_NAME);
    only("Sommer!2026", &martin, M_NAME);
    only("M4rt1n!2026", &martin, M_NAME);
    only("xyzMARx!26", &martin, M_NAME);
    /* A run of two is not enough, folded or not. */
    ok("Ma!So#Mo26x", &martin);
    ok("$0!mM!x26Q", &martin);
}

static void email_tokens(void **state)
{
    (void)state;
    static const policy_person email_only = {"zwaluw77@example.nl", "Anna", "Bakker"};
    only("Zwaluw!2026", &email_only, M_NAME);
    only("Kievit!w77x", &email_only, M_NAME); /* "w77" is a run of "zwaluw77" */
    /* The domain is not part of the user's name. */
    static const policy_person anna = {"anna@kievit.nl", "Anna", "Bakker"};
    ok("Kievit!Zwaluw27", &anna);
    /* Local part split on ".", "_", "-", "+". */
    static const policy_person parts = {"kees_hoorn-piet+tag@example.nl", NULL, NULL};
    only("Kees!2026x", &parts, M_NAME);
    only("Hoorn!2026x", &parts, M_NAME);
    only("Piet!2026xy", &parts, M_NAME);
    only("Tag!2026xyz", &parts, M_NAME);
}

static void first_and_last_name(void **state)
{
    (void)state;
    static const policy_person names = {NULL, "Willemijn", "Lisanne"};
    only("W1ll3m!2026", &names, M_NAME); /* '1' as 'i' */
    only("Xx!11sa2026", &names, M_NAME); /* "11s" as "lis": '1' as 'l' and as 'i' */
    ok("Kievit!Zwaluw27", &names);
}

static void particles_are_not_tokens(void **state)
{
    (void)state;
    ok("Kade!2026x", &jan);
    only("Vries!2026", &jan, M_NAME);
    only("Jan!2026xyz", &jan, M_NAME);
    /* Particles of three letters are skipped as well. */
    static const policy_person henk = {"h.berg@example.nl", "Henk", "van der Berg"};
    ok("Caravan!2026", &henk);
    ok("Onder!2026x", &henk);
    only("Berg!2026xy", &henk, M_NAME);
    static const policy_person hart = {NULL, "Sanne", "'t Hart"};
    only("Hart!2026xy", &hart, M_NAME);
    ok("Tt!Kievit26", &hart);
}

static void hyphenated_last_name(void **state)
{
    (void)state;
    only("Rummens!26", &deby, M_NAME);
    only("Heijnen!26", &deby, M_NAME);
    only("XxRum!2026", &deby, M_NAME);
    only("Xx!EIJ2026", &deby, M_NAME);
    ok("Kievit!Zwaluw27", &deby);
    ok("S - H!2026x", &deby); /* the separators make no token */
}

static void short_tokens_ignored(void **state)
{
    (void)state;
    static const policy_person li = {"li@example.nl", "Li", "Wu"};
    ok("Lily!Wubs26", &li);
    /* Non-ASCII letters separate: "Jörg" leaves only the short "j", "rg". */
    static const policy_person jorg = {NULL, "Jörg", "Öz"};
    ok("Jorg!2026xy", &jorg);
}

static char *write_list(const char *text)
{
    static char path[] = "/tmp/test_policy_XXXXXX";
    strcpy(path, "/tmp/test_policy_XXXXXX");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    FILE *f = fdopen(fd, "w");
    assert_non_null(f);
    fputs(text, f);
    assert_int_equal(fclose(f), 0);
    return path;
}

static void common_list_from_file(void **state)
{
    (void)state;
    char *path = write_list("#!comment: test list\r\n\r\nwelkom01\r\nPassword1!\n"
                            "WELKOM01\n# not an entry\nKievit!Zwaluw27");
    long n = policy_load_common(path);
    unlink(path);
    assert_int_equal(n, 3); /* duplicates (case-insensitive) count once */
    only("Password1!", &nobody, M_COMMON);
    only("PASSWORD1!", &nobody, M_COMMON);
    only("pAsSwOrD1!", &nobody, M_COMMON);
    expect("welkom01", &nobody, 2, M_GROUPS, M_COMMON);
    only("Kievit!Zwaluw27", &nobody, M_COMMON); /* last line without '\n' */
    ok("Password1!x", &nobody);
    ok("Welkom01!", &nobody);
    ok("# not an entry X1", &nobody);
    policy_free_common();
    /* Without a list the rule is not applied. */
    ok("Password1!", &nobody);
    policy_free_common(); /* twice is harmless */
}

static void common_list_missing(void **state)
{
    (void)state;
    assert_int_equal(policy_load_common("/nonexistent/password.lst"), -1);
    ok("Password1!", &nobody);
}

static void common_list_of_john(void **state)
{
    (void)state;
    if (access(POLICY_COMMON_LIST, R_OK) != 0) skip(); /* package john-data missing */
    long n = policy_load_common(POLICY_COMMON_LIST);
    assert_true(n > 3000);
    only("Front242", &martin, M_COMMON);
    expect("FRONT242", &martin, 2, M_GROUPS, M_COMMON);
    only("fRONT242", &martin, M_COMMON);
    expect("password1", &martin, 2, M_GROUPS, M_COMMON);
    expect("Password1", &martin, 1, M_COMMON, NULL);
    ok("Kievit!Zwaluw27", &martin);
    /* The comment lines are not entries. */
    ok("#!comment: This list has been compiled by Solar Designer of Openwall Project", &nobody);
    policy_free_common();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(strong_password_passes),
        cmocka_unit_test(length_rule),
        cmocka_unit_test(too_long_is_refused_alone),
        cmocka_unit_test(groups_rule),
        cmocka_unit_test(manual_example),
        cmocka_unit_test(email_tokens),
        cmocka_unit_test(first_and_last_name),
        cmocka_unit_test(particles_are_not_tokens),
        cmocka_unit_test(hyphenated_last_name),
        cmocka_unit_test(short_tokens_ignored),
        cmocka_unit_test(common_list_from_file),
        cmocka_unit_test(common_list_missing),
        cmocka_unit_test(common_list_of_john),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
