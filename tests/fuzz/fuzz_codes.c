/* fuzz_codes.c - libFuzzer target for what the second factor and the audit
 * trail read back: a typed code (sf_normalise), a base32 key (totp_decode),
 * a TOTP code checked against a fixed key (totp_match) and a stored
 * changes text (audit_changes_split).
 *
 * The input is copied into an exactly-sized NUL-terminated buffer (ASan
 * catches a read past it). Whatever it is: a normal form has no spaces,
 * dashes or capitals; decoding never writes more than 5 bits per character;
 * a code that is not six digits never matches; a split line's parts hold
 * no tab or line break. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "auth/audit.h"
#include "auth/secondfactor.h"
#include "core/totp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);
    if (!s) return 0;
    memcpy(s, data, size);
    s[size] = '\0';
    arena *a = arena_new(0);

    char norm[32];
    if (sf_normalise(s, norm, sizeof norm) == 0)
        for (const char *p = norm; *p; p++)
            if (*p == ' ' || *p == '-' || (*p >= 'A' && *p <= 'Z')) abort();

    unsigned char *bytes;
    size_t n;
    if (totp_decode(a, s, &bytes, &n) == 0 && n * 8 > strlen(s) * 5) abort();

    static const unsigned char key[] = "12345678901234567890";
    long long step = totp_match(key, 20, s, 1111111111, 0);
    if (step && (strlen(s) != 6 || strspn(s, "0123456789") != 6)) abort();

    audit_change ch[8];
    int lines = audit_changes_split(a, s, ch, 8);
    for (int i = 0; i < lines; i++)
        if (strpbrk(ch[i].field, "\t\n") || strpbrk(ch[i].old, "\t\n") ||
            strpbrk(ch[i].new_value, "\t\n"))
            abort();

    arena_free(a);
    free(s);
    return 0;
}
