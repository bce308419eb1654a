/* timeutil.h - dates as the portal uses them: ISO 'YYYY-MM-DD' in the
 * database, 'DD-MM-YYYY' on screen (as in the manual). The clock is
 * injectable so tests can move time. */
#ifndef KP_TIMEUTIL_H
#define KP_TIMEUTIL_H

#include <stddef.h>
#include <time.h>

#include "core/arena.h"

/* Seconds since the epoch; tests may set an offset. */
time_t clock_now(void);
void clock_set_offset(long long seconds);

/* Today (local time) plus days, as 'YYYY-MM-DD'. */
char *date_today_plus(arena *a, int days);
/* 'YYYY-MM-DD' -> 'DD-MM-YYYY'; other input is returned as is. */
char *date_nl(arena *a, const char *iso);
/* 'YYYY-MM-DD' -> 'ma 21-12-2026': the date with its weekday in front, as
 * lists show it; other input is returned as is. */
char *date_short_nl(arena *a, const char *iso);
/* 'YYYY-MM-DD' -> '5 maart 2027'. */
char *date_long_nl(arena *a, const char *iso);
/* 'YYYY-MM' -> 'maart 2027'. */
char *month_nl(arena *a, const char *ym);
/* A 'YYYY-MM-DD' date plus days (may be negative) as 'YYYY-MM-DD'; NULL
 * for an invalid date. */
char *date_plus(arena *a, const char *iso, int days);
/* 'YYYY-MM' plus n months (n >= 0) as 'YYYY-MM'; NULL for other input. */
char *month_plus(arena *a, const char *ym, int n);
/* Is 'YYYY-MM-DD' a real calendar date? */
int date_valid(const char *s);
/* Unix seconds -> '21-12-2026 14:05' in local (business) time. */
char *moment_nl(arena *a, long long unix_seconds);
/* Cents -> '€ 1.234,50'. */
char *money_nl(arena *a, long long cents);

#endif
