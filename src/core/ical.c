/* ical.c - see ical.h */
#include "core/ical.h"

#include <stdio.h>
#include <string.h>

#include "core/timeutil.h"
#include "core/utf8.h"

#define FOLD 75 /* octets of a line, without its CRLF */

/* The zone's rules as the EU has them since 1996: summer time from the last
 * Sunday of March 02:00 to the last Sunday of October 03:00. */
static const char *const VTIMEZONE[] = {
    "BEGIN:VTIMEZONE",
    "TZID:Europe/Amsterdam",
    "BEGIN:DAYLIGHT",
    "TZOFFSETFROM:+0100",
    "TZOFFSETTO:+0200",
    "TZNAME:CEST",
    "DTSTART:19810329T020000",
    "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU",
    "END:DAYLIGHT",
    "BEGIN:STANDARD",
    "TZOFFSETFROM:+0200",
    "TZOFFSETTO:+0100",
    "TZNAME:CET",
    "DTSTART:19961027T030000",
    "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU",
    "END:STANDARD",
    "END:VTIMEZONE",
};

void ical_line(buf *b, const char *line)
{
    size_t n = strlen(line), room = FOLD;
    while (n > room) {
        /* a continuation byte (10xxxxxx) is never the first of a piece */
        size_t cut = utf8_cut(line, n, room);
        if (cut == 0) cut = room; /* not UTF-8 at all: cut anyway */
        buf_add(b, line, cut);
        buf_puts(b, "\r\n ");
        line += cut;
        n -= cut;
        room = FOLD - 1; /* the leading space counts */
    }
    buf_add(b, line, n);
    buf_puts(b, "\r\n");
}

void ical_text(buf *b, const char *s)
{
    for (; s && *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '\\' || c == ';' || c == ',') {
            buf_putc(b, '\\');
            buf_putc(b, (char)c);
        } else if (c == '\n') {
            buf_puts(b, "\\n");
        } else if (c >= 0x20 && c != 0x7F) {
            buf_putc(b, (char)c);
        } else if (c == '\t') {
            buf_putc(b, ' ');
        } /* CR and other control characters are not allowed in TEXT */
    }
}

/* A property with a TEXT value, left out when the value is empty. */
static void text_prop(buf *b, const char *name, const char *value)
{
    if (!value || !*value) return;
    buf line;
    buf_init(&line, b->a, 64);
    buf_printf(&line, "%s:", name);
    ical_text(&line, value);
    ical_line(b, line.data);
}

/* A URI goes as it is, but without control characters (they would end the
 * line early). */
static void uri_prop(buf *b, const char *name, const char *value)
{
    if (!value || !*value) return;
    buf line;
    buf_init(&line, b->a, 64);
    buf_printf(&line, "%s:", name);
    for (const char *p = value; *p; p++)
        if ((unsigned char)*p > 0x20 && *p != 0x7F) buf_putc(&line, *p);
    ical_line(b, line.data);
}

void ical_begin(buf *b, const char *prodid, const char *calname)
{
    ical_line(b, "BEGIN:VCALENDAR");
    ical_line(b, "VERSION:2.0");
    text_prop(b, "PRODID", prodid);
    ical_line(b, "CALSCALE:GREGORIAN");
    ical_line(b, "METHOD:PUBLISH");
    text_prop(b, "X-WR-CALNAME", calname);
    if (calname && *calname) ical_line(b, "X-WR-TIMEZONE:Europe/Amsterdam");
    for (size_t i = 0; i < sizeof VTIMEZONE / sizeof *VTIMEZONE; i++)
        ical_line(b, VTIMEZONE[i]);
}

void ical_end(buf *b)
{
    ical_line(b, "END:VCALENDAR");
}

static int empty(const char *s)
{
    return !s || !*s;
}

/* v as n decimal digits at o (v >= 0 and fits). */
static void digits(char *o, int v, int n)
{
    for (int i = n - 1; i >= 0; i--, v /= 10)
        o[i] = (char)('0' + v % 10);
}

/* 'HH:MM' -> "HHMM00" in out[7]; -1 for anything else. */
static int ical_time(const char *s, char out[7])
{
    if (strlen(s) != 5 || s[2] != ':') return -1;
    for (int i = 0; i < 5; i++)
        if (i != 2 && (s[i] < '0' || s[i] > '9')) return -1;
    int h = (s[0] - '0') * 10 + (s[1] - '0'), m = (s[3] - '0') * 10 + (s[4] - '0');
    if (h > 23 || m > 59) return -1;
    memcpy(out, s, 2);
    memcpy(out + 2, s + 3, 2);
    memcpy(out + 4, "00", 3);
    return 0;
}

/* 'YYYY-MM-DD' -> "YYYYMMDD" in out[9], plus days (0 or 1); -1 when it
 * is no real date. */
static int ical_date(const char *s, int plus, char out[9])
{
    if (!date_valid(s)) return -1;
    int y, m, d;
    if (sscanf(s, "%4d-%2d-%2d", &y, &m, &d) != 3) return -1;
    if (plus) {
        static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
        int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
        if (++d > mdays[m - 1] + (m == 2 && leap)) {
            d = 1;
            if (++m > 12) {
                m = 1;
                y++;
            }
        }
    }
    if (y > 9999) return -1;
    digits(out, y, 4);
    digits(out + 4, m, 2);
    digits(out + 6, d, 2);
    out[8] = '\0';
    return 0;
}

/* DTSTART and DTEND as lines, or -1. A timed event ends on its last day at
 * the end time; an all-day event's DTEND is the day after its last day
 * (RFC 5545: the end is not part of the event). */
static int ical_when(buf *b, const ical_event *e)
{
    const char *last = empty(e->ends_on) ? e->starts_on : e->ends_on;
    char d0[9], d1[9], t0[7], t1[7];
    if (empty(e->starts_on) || ical_date(e->starts_on, 0, d0) != 0) return -1;
    if (empty(e->start_time)) {
        if (ical_date(last, 1, d1) != 0 || strcmp(d1, d0) <= 0) return -1;
        buf_printf(b, "DTSTART;VALUE=DATE:%s\r\nDTEND;VALUE=DATE:%s\r\n", d0, d1);
        return 0;
    }
    if (ical_time(e->start_time, t0) != 0 || ical_date(last, 0, d1) != 0) return -1;
    if (empty(e->end_time)) {
        if (strcmp(d1, d0) != 0) return -1; /* several days but no end time */
        buf_printf(b, "DTSTART;TZID=Europe/Amsterdam:%sT%s\r\n", d0, t0);
        return 0;
    }
    if (ical_time(e->end_time, t1) != 0) return -1;
    int order = strcmp(d1, d0);
    if (order < 0 || (order == 0 && strcmp(t1, t0) < 0)) return -1;
    buf_printf(b, "DTSTART;TZID=Europe/Amsterdam:%sT%s\r\nDTEND;TZID=Europe/Amsterdam:%sT%s\r\n",
               d0, t0, d1, t1);
    return 0;
}

int ical_event_add(buf *b, const ical_event *e)
{
    static const char *const status[] = {"STATUS:CONFIRMED", "STATUS:TENTATIVE",
                                         "STATUS:CANCELLED"};
    buf when;
    buf_init(&when, b->a, 128);
    if (empty(e->uid) || ical_when(&when, e) != 0) return -1;
    struct tm tm;
    if (!gmtime_r(&e->stamp, &tm)) return -1;
    char stamp[32];
    strftime(stamp, sizeof stamp, "DTSTAMP:%Y%m%dT%H%M%SZ", &tm);

    ical_line(b, "BEGIN:VEVENT");
    text_prop(b, "UID", e->uid);
    ical_line(b, stamp);
    buf_add(b, when.data, when.len);
    if (e->sequence > 0) buf_printf(b, "SEQUENCE:%d\r\n", e->sequence);
    text_prop(b, "SUMMARY", e->summary);
    text_prop(b, "LOCATION", e->location);
    text_prop(b, "DESCRIPTION", e->description);
    uri_prop(b, "URL", e->url);
    unsigned s = (unsigned)e->status;
    ical_line(b, status[s < 3 ? s : 0]);
    ical_line(b, "END:VEVENT");
    return 0;
}
