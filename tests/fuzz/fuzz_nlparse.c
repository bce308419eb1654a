/* fuzz_nlparse.c - libFuzzer target for what staff type in the back
 * office's forms (core/nlparse.h).
 *
 * The input is one value, copied into an exactly-sized NUL-terminated
 * buffer (ASan catches a read past it), read as an amount, a clock time, a
 * date, a number and a list of meeting days. Whatever it is, nothing
 * crashes, and what is accepted is in range and reads back the same from
 * its normal form.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/nlparse.h"
#include "core/timeutil.h"

static void check_clock(const char *t)
{
    if (strlen(t) != 5 || t[2] != ':' || strcmp(t, "00:00") < 0 || strcmp(t, "23:59") > 0) abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);
    if (!s) abort();
    memcpy(s, data, size);
    s[size] = '\0';
    arena *a = arena_new(0);

    long long cents = -1, again = -1;
    if (!nl_euros(s, &cents)) {
        if (cents < 0 || cents > NL_EUROS_MAX_CENTS) abort();
        if (nl_euros(nl_euros_field(a, cents), &again) || again != cents) abort();
    } else if (cents != -1) {
        abort();
    }
    const char *out = NULL, *out2 = NULL;
    if (!nl_clock(a, s, &out)) {
        check_clock(out);
        if (nl_clock(a, out, &out2) || strcmp(out, out2) != 0) abort();
    }
    if (!nl_date(a, s, &out)) {
        if (!date_valid(out) || nl_date(a, out, &out2) || strcmp(out, out2) != 0) abort();
    }
    long long v = -1;
    if (!nl_count(a, s, 0, 1000, &v) && (v < 0 || v > 1000)) abort();
    nl_day days[8];
    int n = -1;
    if (!nl_days(a, s, days, 8, &n)) {
        if (n < 0 || n > 8) abort();
        for (int i = 0; i < n; i++) {
            if (!date_valid(days[i].day)) abort();
            if (*days[i].start) {
                check_clock(days[i].start);
                check_clock(days[i].end);
                if (strcmp(days[i].start, days[i].end) >= 0) abort();
            } else if (*days[i].end) {
                abort();
            }
            for (int j = 0; j < i; j++)
                if (strcmp(days[i].day, days[j].day) == 0) abort();
        }
    }
    arena_free(a);
    free(s);
    return 0;
}
