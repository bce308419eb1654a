/* ical.h - calendar files (RFC 5545) for calendar apps: one event to add, or
 * a feed to subscribe to.
 *
 * Times are wall-clock times in Europe/Amsterdam, as the events table holds
 * them; the file carries that zone's rules in a VTIMEZONE, so an app shows
 * 09:00 as 09:00 in winter and in summer, and converts for a reader
 * elsewhere. An event without a start time is an all-day event.
 *
 * The writer only appends to a buf (core/buf.h): no I/O, no clock (the
 * caller passes DTSTAMP), thread-safe. Lines end in CRLF and are folded at
 * 75 octets, never inside a UTF-8 character. Text values are escaped
 * (\ ; , and newlines), so any text from the database is safe.
 *
 * A file is ical_begin(), any number of ical_event(), ical_end(). An event
 * with several meeting days on different dates or times is best written as
 * one event per day, each with its own UID.
 */
#ifndef KP_ICAL_H
#define KP_ICAL_H

#include <time.h>

#include "core/buf.h"

typedef enum ical_status {
    ICAL_CONFIRMED,
    ICAL_TENTATIVE,
    ICAL_CANCELLED,
} ical_status;

typedef struct ical_event {
    /* Stable across downloads, so an app updates the event instead of
     * adding it twice: "event-12@onderwijsgroepnwh.nl". */
    const char *uid;
    time_t stamp;           /* DTSTAMP: when this information was made, UTC */
    const char *starts_on;  /* 'YYYY-MM-DD' */
    const char *ends_on;    /* 'YYYY-MM-DD', the last day; NULL or "": starts_on */
    const char *start_time; /* 'HH:MM'; NULL or "": all-day event */
    /* 'HH:MM' on ends_on; NULL or "" with a start time: the event has no
     * length (the app shows just the start) */
    const char *end_time;
    const char *summary; /* the rest may be NULL or "": left out */
    const char *location;
    const char *description; /* newlines are kept */
    const char *url;
    ical_status status;
    int sequence; /* raise it when a published event changes; 0 is left out */
} ical_event;

/* BEGIN:VCALENDAR with PRODID (e.g. "-//Onderwijsgroep Noordwest-Holland//
 * Klantportal//NL"), an optional calendar name for a feed (NULL: none) and
 * the VTIMEZONE of Europe/Amsterdam. */
void ical_begin(buf *b, const char *prodid, const char *calname);
/* One VEVENT. Returns 0, or -1 (nothing written) when a date or time is not
 * a real one in the form above, the end lies before the start, or uid is
 * missing. */
int ical_event_add(buf *b, const ical_event *e);
/* END:VCALENDAR. */
void ical_end(buf *b);

/* For the tests: a text value escaped as RFC 5545 TEXT. */
void ical_text(buf *b, const char *s);
/* Appends one content line, folded, with CRLF. */
void ical_line(buf *b, const char *line);

#endif
