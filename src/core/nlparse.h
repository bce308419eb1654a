/* nlparse.h - what staff type in the back office's forms, read the Dutch
 * way: amounts in euros ("125,00"), clock times ("9:30"), dates
 * ("5-3-2027"), whole numbers and a list of meeting days.
 *
 * Pure functions: no clock, no database. Each returns NULL when the input
 * is fine (and writes its normal form to the out parameter), else a Dutch
 * message for under the field, leaving the out parameter alone. Strings
 * they make live in the caller's arena. in is a NUL-terminated string, or
 * NULL (refused like "").
 */
#ifndef KP_NLPARSE_H
#define KP_NLPARSE_H

#include "core/arena.h"

/* The largest amount accepted: € 1.000.000,00. */
#define NL_EUROS_MAX_CENTS 100000000LL

/* An amount in euros, 0 up to NL_EUROS_MAX_CENTS, as cents. The comma is
 * the decimal sign and a dot between groups of three digits a thousands
 * sign ("1.250,00"); a single dot followed by one or two digits at the end
 * is read as a decimal point ("125.50"), as people type it. A leading "€"
 * and ",-" or ",--" for whole euros are allowed ("€ 95,-"). */
const char *nl_euros(const char *in, long long *cents);
/* cents >= 0 as a form shows it for editing: "1250,00" (no euro sign, no
 * thousands dots, so it reads back the same). */
char *nl_euros_field(arena *a, long long cents);
/* A clock time "9:30", "09:30" or "9.30" -> "09:30" (00:00 up to 23:59). */
const char *nl_clock(arena *a, const char *in, const char **out);
/* A date "5-3-2027", "05-03-2027" or "2027-03-05" -> "2027-03-05": a real
 * calendar day in the years 1900 up to 9999. */
const char *nl_date(arena *a, const char *in, const char **out);
/* A whole number from min up to max ("12"; no sign, no dots). */
const char *nl_count(arena *a, const char *in, long long min, long long max, long long *out);

/* One meeting day of an event: day 'YYYY-MM-DD', start and end "HH:MM"
 * or "" when the line gave no times. */
typedef struct nl_day {
    const char *day, *start, *end;
} nl_day;

/* Meeting days, one per line: "12-03-2027" or "12-03-2027 09:00-12:30"
 * (the times as nl_clock reads them, the end after the start). Empty lines
 * are skipped. At most max days; the days in out[0..*n-1] in the order
 * typed. The message names the line it is about ("Regel 2: …"); a day
 * typed twice is refused. */
const char *nl_days(arena *a, const char *text, nl_day *out, int max, int *n);

#endif
