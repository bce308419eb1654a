/* timeutil.c - see timeutil.h */
#include "core/timeutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static long long offset;

time_t clock_now(void)
{
    return time(NULL) + (time_t)offset;
}

void clock_set_offset(long long seconds)
{
    offset = seconds;
}

char *date_today_plus(arena *a, int days)
{
    time_t t = clock_now();
    struct tm tm;
    localtime_r(&t, &tm);
    tm.tm_mday += days;
    tm.tm_hour = 12; /* away from DST edges */
    mktime(&tm);
    return arena_printf(a, "%04d-%02d-%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

static int parse_iso(const char *s, int *y, int *m, int *d)
{
    if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-') return -1;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9')) return -1;
    *y = atoi(s);
    *m = atoi(s + 5);
    *d = atoi(s + 8);
    return 0;
}

static int days_in_month(int y, int m)
{
    static const int dm[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0)) return 29;
    return dm[m - 1];
}

int date_valid(const char *s)
{
    int y, m, d;
    if (parse_iso(s, &y, &m, &d) != 0) return 0;
    return y >= 1 && m >= 1 && m <= 12 && d >= 1 && d <= days_in_month(y, m);
}

char *date_nl(arena *a, const char *iso)
{
    int y, m, d;
    if (parse_iso(iso, &y, &m, &d) != 0) return arena_strdup(a, iso ? iso : "");
    return arena_printf(a, "%02d-%02d-%04d", d, m, y);
}

/* Day of the week, 0 = Sunday, of a proleptic Gregorian date (Sakamoto):
 * pure arithmetic, so the weekday never depends on the time zone. */
static int weekday(int y, int m, int d)
{
    static const int t[] = {0, 3, 2, 5, 0, 3, 5, 1, 4, 6, 2, 4};
    if (m < 3) y -= 1;
    return (y + y / 4 - y / 100 + y / 400 + t[m - 1] + d) % 7;
}

char *date_short_nl(arena *a, const char *iso)
{
    static const char *const days[] = {"zo", "ma", "di", "wo", "do", "vr", "za"};
    if (!date_valid(iso)) return arena_strdup(a, iso ? iso : "");
    int y, m, d;
    parse_iso(iso, &y, &m, &d);
    return arena_printf(a, "%s %02d-%02d-%04d", days[weekday(y, m, d)], d, m, y);
}

static const char *const months[] = {"januari",   "februari", "maart",    "april",
                                     "mei",       "juni",     "juli",     "augustus",
                                     "september", "oktober",  "november", "december"};

char *date_long_nl(arena *a, const char *iso)
{
    int y, m, d;
    if (parse_iso(iso, &y, &m, &d) != 0 || m < 1 || m > 12) return arena_strdup(a, iso ? iso : "");
    return arena_printf(a, "%d %s %d", d, months[m - 1], y);
}

char *month_nl(arena *a, const char *ym)
{
    if (!ym || strlen(ym) != 7 || ym[4] != '-') return arena_strdup(a, ym ? ym : "");
    int m = atoi(ym + 5);
    if (m < 1 || m > 12) return arena_strdup(a, ym);
    return arena_printf(a, "%s %.4s", months[m - 1], ym);
}

/* Days since 1970-01-01 of a proleptic Gregorian date, and back (Howard
 * Hinnant's civil-date algorithms): no time zone, no mktime. */
static long days_from_civil(int y, int m, int d)
{
    y -= m <= 2;
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;
    long doy = (153L * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static void civil_from_days(long z, int *y, int *m, int *d)
{
    z += 719468;
    long era = (z >= 0 ? z : z - 146096) / 146097;
    long doe = z - era * 146097;
    long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yoe + era * 400 + (*m <= 2));
}

char *date_plus(arena *a, const char *iso, int days)
{
    if (!date_valid(iso)) return NULL;
    int y, m, d;
    parse_iso(iso, &y, &m, &d);
    civil_from_days(days_from_civil(y, m, d) + days, &y, &m, &d);
    if (y < 1 || y > 9999) return NULL;
    return arena_printf(a, "%04d-%02d-%02d", y, m, d);
}

char *month_plus(arena *a, const char *ym, int n)
{
    if (!ym || strlen(ym) != 7 || ym[4] != '-' || n < 0) return NULL;
    for (int i = 0; i < 7; i++)
        if (i != 4 && (ym[i] < '0' || ym[i] > '9')) return NULL;
    int y = atoi(ym), m = atoi(ym + 5);
    if (m < 1 || m > 12) return NULL;
    long idx = (long)y * 12 + (m - 1) + n;
    if (idx / 12 > 9999) return NULL;
    return arena_printf(a, "%04ld-%02ld", idx / 12, idx % 12 + 1);
}

char *money_nl(arena *a, long long cents)
{
    int neg = cents < 0;
    unsigned long long v = neg ? (unsigned long long)(-(cents + 1)) + 1 : (unsigned long long)cents;
    unsigned long long euros = v / 100, rest = v % 100;
    char digits[32], grouped[48];
    snprintf(digits, sizeof digits, "%llu", euros);
    size_t n = strlen(digits), j = 0;
    for (size_t i = 0; i < n; i++) {
        if (i > 0 && (n - i) % 3 == 0) grouped[j++] = '.';
        grouped[j++] = digits[i];
    }
    grouped[j] = '\0';
    return arena_printf(a, "%s€ %s,%02llu", neg ? "-" : "", grouped, rest);
}

char *moment_nl(arena *a, long long unix_seconds)
{
    time_t t = (time_t)unix_seconds;
    struct tm tm;
    char out[32];
    localtime_r(&t, &tm);
    strftime(out, sizeof out, "%d-%m-%Y %H:%M", &tm);
    return arena_strdup(a, out);
}
