/* nlparse.c - see nlparse.h. Pure functions over NUL-terminated input. */
#include "core/nlparse.h"

#include <string.h>

#include "core/timeutil.h"

#define MSG_EUROS "Vul een bedrag in euro's in, bijvoorbeeld 125,00."
#define MSG_EUROS_MAX "Vul een bedrag tot en met 1.000.000,00 euro in."
#define MSG_CLOCK "Vul een tijd in als uu:mm, bijvoorbeeld 09:30."
#define MSG_DATE "Vul een geldige datum in (dd-mm-jjjj)."
#define MSG_DAY_LINE                                                                               \
    "vul een datum in als dd-mm-jjjj, eventueel met tijden: 12-03-2027 09:00-12:30."

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static int is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* [*s, *e) without the blanks around it. */
static void trim(const char **s, const char **e)
{
    while (*s < *e && is_blank(**s))
        (*s)++;
    while (*e > *s && is_blank((*e)[-1]))
        (*e)--;
}

static int digits(const char *s, const char *e)
{
    if (s >= e) return 0;
    for (const char *p = s; p < e; p++)
        if (!is_digit(*p)) return 0;
    return 1;
}

/* Whole euros written with optional thousands dots ("1.250"): the value,
 * or -1 when it is not that shape or is too large to matter. */
static long long whole_euros(const char *s, const char *e)
{
    const char *dot = memchr(s, '.', (size_t)(e - s));
    if (!dot) {
        if (!digits(s, e) || e - s > 9) return -1;
    } else {
        /* the first group 1 to 3 digits, every further one exactly 3 */
        if (dot - s < 1 || dot - s > 3 || !digits(s, dot)) return -1;
        for (const char *g = dot; g < e; g += 4)
            if (e - g < 4 || g[0] != '.' || !digits(g + 1, g + 4)) return -1;
        if (e - s > 11) return -1;
    }
    long long v = 0;
    for (const char *p = s; p < e; p++)
        if (is_digit(*p)) v = v * 10 + (*p - '0');
    return v;
}

/* Cents from the part after the decimal sign: one or two digits, or "-"
 * / "--" (",-": whole euros). -1 when it is neither. */
static int fraction(const char *s, const char *e)
{
    if ((e - s == 1 && s[0] == '-') || (e - s == 2 && s[0] == '-' && s[1] == '-')) return 0;
    if (!digits(s, e) || e - s > 2) return -1;
    return e - s == 1 ? (s[0] - '0') * 10 : (s[0] - '0') * 10 + (s[1] - '0');
}

const char *nl_euros(const char *in, long long *cents)
{
    if (!in) return MSG_EUROS;
    const char *s = in, *e = in + strlen(in);
    trim(&s, &e);
    if (e - s >= 3 && memcmp(s, "\xe2\x82\xac", 3) == 0) s += 3; /* € */
    trim(&s, &e);
    const char *comma = memchr(s, ',', (size_t)(e - s));
    const char *int_end = comma ? comma : e;
    int frac = 0;
    if (comma) {
        frac = fraction(comma + 1, e);
    } else {
        /* "125.50": one dot with one or two digits after it is a decimal point */
        const char *dot = memchr(s, '.', (size_t)(e - s));
        if (dot && !memchr(dot + 1, '.', (size_t)(e - dot - 1)) && e - dot - 1 >= 1 &&
            e - dot - 1 <= 2) {
            int_end = dot;
            frac = fraction(dot + 1, e);
        }
    }
    long long whole = frac < 0 ? -1 : whole_euros(s, int_end);
    if (whole < 0) return whole == -1 && int_end - s > 11 ? MSG_EUROS_MAX : MSG_EUROS;
    long long v = whole * 100 + frac;
    if (v > NL_EUROS_MAX_CENTS) return MSG_EUROS_MAX;
    *cents = v;
    return NULL;
}

char *nl_euros_field(arena *a, long long cents)
{
    if (cents < 0) cents = 0;
    return arena_printf(a, "%lld,%02lld", cents / 100, cents % 100);
}

/* "9:30" / "09.30" between s and e -> hour and minute; 0 or -1. */
static int clock_of(const char *s, const char *e, int *h, int *m)
{
    const char *sep = s;
    while (sep < e && is_digit(*sep))
        sep++;
    if (sep == s || sep - s > 2 || sep >= e || (*sep != ':' && *sep != '.')) return -1;
    if (e - sep != 3 || !digits(sep + 1, e)) return -1;
    *h = sep - s == 1 ? s[0] - '0' : (s[0] - '0') * 10 + (s[1] - '0');
    *m = (sep[1] - '0') * 10 + (sep[2] - '0');
    return *h <= 23 && *m <= 59 ? 0 : -1;
}

const char *nl_clock(arena *a, const char *in, const char **out)
{
    if (!in) return MSG_CLOCK;
    const char *s = in, *e = in + strlen(in);
    trim(&s, &e);
    int h, m;
    if (clock_of(s, e, &h, &m) != 0) return MSG_CLOCK;
    *out = arena_printf(a, "%02d:%02d", h, m);
    return NULL;
}

/* n digits (1..max) from *p up to a separator or e: the value, or -1. */
static int number_part(const char **p, const char *e, int max, char sep)
{
    int v = 0, len = 0;
    while (*p < e && is_digit(**p) && len < max) {
        v = v * 10 + (**p - '0');
        (*p)++;
        len++;
    }
    if (len == 0) return -1;
    if (sep) {
        if (*p >= e || **p != sep) return -1;
        (*p)++;
    }
    return v;
}

/* A date between s and e -> ISO in buf[11]; 0 or -1. */
static int date_of(const char *s, const char *e, char *iso)
{
    int y, m, d;
    const char *p = s;
    if (e - s == 10 && s[4] == '-') { /* 2027-03-05 */
        y = number_part(&p, e, 4, '-');
        m = number_part(&p, e, 2, '-');
        d = number_part(&p, e, 2, 0);
        if (p - s != 10 || y < 0 || m < 0 || d < 0) return -1;
    } else { /* 5-3-2027, 05-03-2027 */
        d = number_part(&p, e, 2, '-');
        m = d < 0 ? -1 : number_part(&p, e, 2, '-');
        if (m < 0 || e - p != 4) return -1;
        y = number_part(&p, e, 4, 0);
        if (p != e || y < 0) return -1;
    }
    if (y < 1900 || y > 9999 || m < 1 || m > 12 || d < 1) return -1;
    /* the values are bounded above, so the text is exactly 10 bytes */
    char tmp[11];
    int len = 0;
    tmp[len++] = (char)('0' + y / 1000);
    tmp[len++] = (char)('0' + y / 100 % 10);
    tmp[len++] = (char)('0' + y / 10 % 10);
    tmp[len++] = (char)('0' + y % 10);
    tmp[len++] = '-';
    tmp[len++] = (char)('0' + m / 10);
    tmp[len++] = (char)('0' + m % 10);
    tmp[len++] = '-';
    tmp[len++] = (char)('0' + d / 10);
    tmp[len++] = (char)('0' + d % 10);
    tmp[len] = '\0';
    if (!date_valid(tmp)) return -1;
    memcpy(iso, tmp, 11);
    return 0;
}

const char *nl_date(arena *a, const char *in, const char **out)
{
    if (!in) return MSG_DATE;
    const char *s = in, *e = in + strlen(in);
    trim(&s, &e);
    char iso[11];
    if (date_of(s, e, iso) != 0) return MSG_DATE;
    *out = arena_strdup(a, iso);
    return NULL;
}

const char *nl_count(arena *a, const char *in, long long min, long long max, long long *out)
{
    const char *msg = arena_printf(a, "Vul een heel getal in van %lld tot en met %lld.", min, max);
    if (!in) return msg;
    const char *s = in, *e = in + strlen(in);
    trim(&s, &e);
    if (!digits(s, e) || e - s > 12) return msg;
    long long v = 0;
    for (const char *p = s; p < e; p++)
        v = v * 10 + (*p - '0');
    if (v < min || v > max) return msg;
    *out = v;
    return NULL;
}

/* One line "dd-mm-jjjj [hh:mm-hh:mm]" between s and e (trimmed, not
 * empty); 0, or -1 with *why set when the times are in the wrong order. */
static int day_line(arena *a, const char *s, const char *e, nl_day *d, const char **why)
{
    const char *sp = s;
    while (sp < e && !is_blank(*sp))
        sp++;
    char iso[11];
    if (date_of(s, sp, iso) != 0) return -1;
    d->day = arena_strdup(a, iso);
    d->start = d->end = "";
    const char *t = sp, *te = e;
    trim(&t, &te);
    if (t == te) return 0;
    const char *dash = memchr(t, '-', (size_t)(te - t));
    if (!dash) return -1;
    const char *a1 = t, *e1 = dash, *a2 = dash + 1, *e2 = te;
    trim(&a1, &e1);
    trim(&a2, &e2);
    int h1, m1, h2, m2;
    if (clock_of(a1, e1, &h1, &m1) != 0 || clock_of(a2, e2, &h2, &m2) != 0) return -1;
    if (h2 * 60 + m2 <= h1 * 60 + m1) {
        *why = "de eindtijd moet na de begintijd liggen.";
        return -1;
    }
    d->start = arena_printf(a, "%02d:%02d", h1, m1);
    d->end = arena_printf(a, "%02d:%02d", h2, m2);
    return 0;
}

const char *nl_days(arena *a, const char *text, nl_day *out, int max, int *n)
{
    int count = 0, line = 0;
    for (const char *p = text ? text : ""; *p;) {
        const char *nl = strchr(p, '\n');
        const char *s = p, *e = nl ? nl : p + strlen(p);
        p = nl ? nl + 1 : e;
        line++;
        trim(&s, &e);
        if (s == e) continue;
        nl_day d;
        const char *why = MSG_DAY_LINE;
        if (day_line(a, s, e, &d, &why) != 0) return arena_printf(a, "Regel %d: %s", line, why);
        for (int i = 0; i < count; i++)
            if (strcmp(out[i].day, d.day) == 0)
                return arena_printf(a, "Regel %d: deze dag staat er al.", line);
        if (count >= max) return arena_printf(a, "Vul hoogstens %d dagen in.", max);
        out[count++] = d;
    }
    *n = count;
    return NULL;
}
