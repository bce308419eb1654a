/* fuzz_policy.c - libFuzzer target for the password policy.
 *
 * The input is split at its first NUL: before it the password, after it a
 * name used as e-mail, first name and last name at once, so the tokenizer
 * sees arbitrary bytes in every field. Each part is copied into a buffer of
 * exactly its length + 1 so ASan catches a read past the terminator. A tiny
 * common-password list is loaded once so that lookup runs too.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "auth/policy.h"

static void load_tiny_list(void)
{
    char path[] = "/tmp/fuzz_policy_XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0) abort();
    static const char list[] = "#!comment: tiny\nwelkom01\nPassword1!\r\n\nqwerty\n";
    if (write(fd, list, sizeof list - 1) != (ssize_t)(sizeof list - 1)) abort();
    close(fd);
    if (policy_load_common(path) != 3) abort();
    unlink(path);
}

static char *copy_part(const uint8_t *data, size_t n)
{
    char *s = malloc(n + 1);
    if (!s) abort();
    memcpy(s, data, n);
    s[n] = '\0';
    return s;
}

/* The result must be well-formed, and leaving out the person may only drop
 * the name message. */
static void check(const char *pw, const policy_person *who)
{
    const char *msgs[POLICY_MAX_ERRORS];
    int n = policy_check(pw, who, msgs);
    if (n < 0 || n > POLICY_MAX_ERRORS) abort();
    for (int i = 0; i < POLICY_MAX_ERRORS; i++)
        if ((i < n) != (msgs[i] != NULL)) abort();
    if (strlen(pw) > 256 && n != 1) abort();
    const char *alone[POLICY_MAX_ERRORS];
    int m = policy_check(pw, NULL, alone);
    if (m != n && m != n - 1) abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int loaded;
    if (!loaded) {
        load_tiny_list();
        loaded = 1;
    }
    const uint8_t *nul = memchr(data, 0, size);
    size_t pwlen = nul ? (size_t)(nul - data) : size;
    char *pw = copy_part(data, pwlen);
    char *name = nul ? copy_part(nul + 1, size - pwlen - 1) : copy_part(data, 0);
    policy_person who = {name, name, name};
    check(pw, &who);
    free(name);
    free(pw);
    return 0;
}
