/* Unit tests: calendar files as calendar apps read them - escaping, lines
 * folded at 75 octets without breaking a character, timed and all-day
 * events, the time zone. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "core/ical.h"

static const char *text(arena *a, const char *s)
{
    buf b;
    buf_init(&b, a, 16);
    ical_text(&b, s);
    return b.data;
}

static void text_is_escaped(void **state)
{
    (void)state;
    arena *a = arena_new(0);
    assert_string_equal(text(a, "Den Helder, Kievitstraat 31"), "Den Helder\\, Kievitstraat 31");
    assert_string_equal(text(a, "a;b"), "a\\;b");
    assert_string_equal(text(a, "C:\\map"), "C:\\\\map");
    assert_string_equal(text(a, "regel 1\nregel 2"), "regel 1\\nregel 2");
    assert_string_equal(text(a, "regel 1\r\nregel 2"), "regel 1\\nregel 2");
    assert_string_equal(text(a, "tab\there"), "tab here");
    assert_string_equal(text(a, "Coördinator Łódź: € 1.895,00"), "Coördinator Łódź: € 1.895\\,00");
    assert_string_equal(text(a, NULL), "");
    arena_free(a);
}

/* Every physical line of s (CRLF-separated) is at most 75 octets, starts
 * with no UTF-8 continuation byte after its fold space, and unfolding gives
 * back want. */
static void assert_folded(arena *a, const char *s, const char *want)
{
    buf un;
    buf_init(&un, a, 256);
    const char *p = s;
    int first = 1;
    while (*p) {
        const char *eol = strstr(p, "\r\n");
        assert_non_null(eol);
        size_t n = (size_t)(eol - p);
        assert_true(n <= 75);
        if (!first) {
            assert_int_equal(p[0], ' ');
            p++;
            n--;
            assert_true(((unsigned char)p[0] & 0xC0) != 0x80);
        }
        buf_add(&un, p, n);
        first = 0;
        p = eol + 2;
    }
    assert_string_equal(un.data, want);
}

static void lines_fold_at_75_octets(void **state)
{
    (void)state;
    arena *a = arena_new(0);
    buf b;
    /* exactly 75 octets: no fold */
    char line[200];
    memset(line, 'x', 75);
    line[75] = '\0';
    buf_init(&b, a, 16);
    ical_line(&b, line);
    assert_int_equal(b.len, 77);
    assert_string_equal(b.data + 75, "\r\n");
    /* 76 octets: 75, then a space and the last one */
    strcat(line, "y");
    buf_init(&b, a, 16);
    ical_line(&b, line);
    assert_int_equal(b.len, 75 + 2 + 1 + 1 + 2);
    assert_memory_equal(b.data + 75, "\r\n y\r\n", 6);

    /* "ł" is two octets: at an odd offset the 75th octet would split it */
    buf_init(&b, a, 16);
    char summary[300] = "SUMMARY:";
    for (int i = 0; i < 60; i++)
        strcat(summary, "ł");
    ical_line(&b, summary);
    const char *first_break = strstr(b.data, "\r\n");
    assert_int_equal(first_break - b.data, 74); /* 8 + 33 * 2, not 75 */
    assert_folded(a, b.data, summary);

    /* "€" is three octets, in every position against the fold */
    for (int shift = 0; shift < 3; shift++) {
        char s[400] = "DESCRIPTION:";
        for (int i = 0; i < shift; i++)
            strcat(s, "a");
        for (int i = 0; i < 80; i++)
            strcat(s, "€");
        buf_init(&b, a, 16);
        ical_line(&b, s);
        assert_folded(a, b.data, s);
    }
    arena_free(a);
}

static const ical_event base = {
    .uid = "event-12@onderwijsgroepnwh.nl",
    .stamp = 1788256800, /* 2026-09-01 10:00:00 UTC */
    .starts_on = "2026-11-03",
    .summary = "Medical Care (STCW)",
    .location = "Den Helder - Kievitstraat 31",
};

static const char *event(arena *a, const ical_event *e, int *rc)
{
    buf b;
    buf_init(&b, a, 256);
    *rc = ical_event_add(&b, e);
    return b.data;
}

static void timed_event_in_amsterdam_time(void **state)
{
    (void)state;
    arena *a = arena_new(0);
    ical_event e = base;
    e.ends_on = "2026-11-06";
    e.start_time = "09:00";
    e.end_time = "16:30";
    e.description = "Vier dagen.\nNeem uw paspoort mee; koffie, thee.";
    e.url = "https://mijn.onderwijsgroepnwh.nl/evenementen/12";
    int rc;
    const char *s = event(a, &e, &rc);
    assert_int_equal(rc, 0);
    assert_non_null(strstr(s, "BEGIN:VEVENT\r\nUID:event-12@onderwijsgroepnwh.nl\r\n"));
    assert_non_null(strstr(s, "\r\nDTSTAMP:20260901T100000Z\r\n"));
    assert_non_null(strstr(s, "\r\nDTSTART;TZID=Europe/Amsterdam:20261103T090000\r\n"));
    assert_non_null(strstr(s, "\r\nDTEND;TZID=Europe/Amsterdam:20261106T163000\r\n"));
    assert_non_null(strstr(s, "\r\nSUMMARY:Medical Care (STCW)\r\n"));
    assert_non_null(strstr(s, "\r\nLOCATION:Den Helder - Kievitstraat 31\r\n"));
    assert_non_null(
        strstr(s, "\r\nDESCRIPTION:Vier dagen.\\nNeem uw paspoort mee\\; koffie\\, thee.\r\n"));
    assert_non_null(strstr(s, "\r\nURL:https://mijn.onderwijsgroepnwh.nl/evenementen/12\r\n"));
    assert_non_null(strstr(s, "\r\nSTATUS:CONFIRMED\r\nEND:VEVENT\r\n"));
    assert_null(strstr(s, "VALUE=DATE"));
    assert_null(strstr(s, "SEQUENCE"));

    /* a start time without an end time: no DTEND, the event has no length */
    e.ends_on = NULL;
    e.end_time = "";
    s = event(a, &e, &rc);
    assert_int_equal(rc, 0);
    assert_non_null(strstr(s, "DTSTART;TZID=Europe/Amsterdam:20261103T090000\r\n"));
    assert_null(strstr(s, "DTEND"));
    arena_free(a);
}

static void all_day_event_ends_the_day_after(void **state)
{
    (void)state;
    arena *a = arena_new(0);
    ical_event e = base;
    e.start_time = "";
    e.status = ICAL_CANCELLED;
    e.sequence = 2;
    int rc;
    const char *s = event(a, &e, &rc);
    assert_int_equal(rc, 0);
    assert_non_null(strstr(s, "\r\nDTSTART;VALUE=DATE:20261103\r\nDTEND;VALUE=DATE:20261104\r\n"));
    assert_non_null(strstr(s, "\r\nSEQUENCE:2\r\n"));
    assert_non_null(strstr(s, "\r\nSTATUS:CANCELLED\r\n"));
    assert_null(strstr(s, "TZID"));
    assert_null(strstr(s, "DESCRIPTION")); /* empty: left out */

    /* several days; the day after the last crosses a month and a year */
    e.starts_on = "2026-12-28";
    e.ends_on = "2026-12-31";
    e.status = ICAL_TENTATIVE;
    s = event(a, &e, &rc);
    assert_int_equal(rc, 0);
    assert_non_null(strstr(s, "DTSTART;VALUE=DATE:20261228\r\nDTEND;VALUE=DATE:20270101\r\n"));
    assert_non_null(strstr(s, "\r\nSTATUS:TENTATIVE\r\n"));
    e.starts_on = e.ends_on = "2028-02-28"; /* a leap year */
    s = event(a, &e, &rc);
    assert_non_null(strstr(s, "DTEND;VALUE=DATE:20280229\r\n"));
    e.starts_on = e.ends_on = "2027-02-28";
    s = event(a, &e, &rc);
    assert_non_null(strstr(s, "DTEND;VALUE=DATE:20270301\r\n"));
    arena_free(a);
}

static void bad_dates_and_times_write_nothing(void **state)
{
    (void)state;
    arena *a = arena_new(0);
    const struct {
        const char *starts, *ends, *t0, *t1, *uid;
    } bad[] = {
        {"2026-02-30", NULL, NULL, NULL, "u"},         /* no such day */
        {"3-11-2026", NULL, NULL, NULL, "u"},          /* not ISO */
        {"", NULL, NULL, NULL, "u"},                   /* no date */
        {"2026-11-03", "2026-11-02", NULL, NULL, "u"}, /* ends before it starts */
        {"2026-11-03", NULL, "9:00", NULL, "u"},       /* not HH:MM */
        {"2026-11-03", NULL, "24:00", NULL, "u"},
        {"2026-11-03", NULL, "09:00", "08:59", "u"},
        {"2026-11-03", NULL, "09:00", "17:60", "u"},
        {"2026-11-03", "2026-11-04", "09:00", "", "u"}, /* several days, no end */
        {"2026-11-03", NULL, NULL, NULL, ""},           /* no UID */
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        ical_event e = base;
        e.starts_on = bad[i].starts;
        e.ends_on = bad[i].ends;
        e.start_time = bad[i].t0;
        e.end_time = bad[i].t1;
        e.uid = bad[i].uid;
        int rc;
        const char *s = event(a, &e, &rc);
        assert_int_equal(rc, -1);
        assert_string_equal(s, "");
    }
    arena_free(a);
}

static void calendar_has_the_amsterdam_zone(void **state)
{
    (void)state;
    arena *a = arena_new(0);
    buf b;
    buf_init(&b, a, 1024);
    ical_begin(&b, "-//Onderwijsgroep Noordwest-Holland//Klantportal//NL", "Mijn cursussen");
    assert_int_equal(ical_event_add(&b, &base), 0);
    ical_end(&b);
    const char *s = b.data;
    assert_true(strncmp(s, "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n", 30) == 0);
    assert_non_null(
        strstr(s, "\r\nPRODID:-//Onderwijsgroep Noordwest-Holland//Klantportal//NL\r\n"));
    assert_non_null(strstr(s, "\r\nX-WR-CALNAME:Mijn cursussen\r\n"));
    assert_non_null(strstr(s, "\r\nBEGIN:VTIMEZONE\r\nTZID:Europe/Amsterdam\r\n"));
    assert_non_null(strstr(s, "BEGIN:DAYLIGHT\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200\r\n"
                              "TZNAME:CEST\r\nDTSTART:19810329T020000\r\n"
                              "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r\nEND:DAYLIGHT\r\n"));
    assert_non_null(strstr(s, "BEGIN:STANDARD\r\nTZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\n"
                              "TZNAME:CET\r\nDTSTART:19961027T030000\r\n"
                              "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r\nEND:STANDARD\r\n"));
    /* the zone comes before the events, and the file ends with the calendar */
    assert_true(strstr(s, "END:VTIMEZONE") < strstr(s, "BEGIN:VEVENT"));
    size_t n = strlen(s);
    assert_string_equal(s + n - strlen("END:VEVENT\r\nEND:VCALENDAR\r\n"),
                        "END:VEVENT\r\nEND:VCALENDAR\r\n");
    /* every line ends in CRLF: no bare LF anywhere */
    for (size_t i = 0; i < n; i++)
        if (s[i] == '\n') assert_int_equal(s[i - 1], '\r');

    /* without a name, no calendar name */
    buf_init(&b, a, 1024);
    ical_begin(&b, "-//x//y//NL", NULL);
    assert_null(strstr(b.data, "X-WR-CALNAME"));
    arena_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(text_is_escaped),
        cmocka_unit_test(lines_fold_at_75_octets),
        cmocka_unit_test(timed_event_in_amsterdam_time),
        cmocka_unit_test(all_day_event_ends_the_day_after),
        cmocka_unit_test(bad_dates_and_times_write_nothing),
        cmocka_unit_test(calendar_has_the_amsterdam_zone),
    };
    return cmocka_run_group_tests(tests, 0, 0);
}
