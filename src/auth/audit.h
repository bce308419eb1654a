/* audit.h - the audit trail: who changed what, when, from where, and what
 * each field was and became. Written on the caller's connection, inside the
 * transaction of the change itself, so a change and its line are stored
 * together or not at all. The database refuses UPDATE and DELETE on the
 * table: a line, once written, stays as it is. Never pass a password or a
 * token.
 *
 * A change with fields:
 *
 *   audit_entry e;
 *   audit_begin(&e, a, actor, rq->client_ip, "cursus_gewijzigd", name);
 *   e.event_id = id;                       what it concerns, for searching
 *   audit_field(&e, "naam", old, new);     one line per field that differs
 *   if (audit_write(c, a, &e) != 0) return -1;
 *
 * Everything lives in the caller's arena; an entry belongs to one thread. */
#ifndef KP_AUDIT_H
#define KP_AUDIT_H

#include "core/arena.h"
#include "core/buf.h"
#include "db/db.h"
#include "db/keyset.h"

/* actor_id 0: unknown (a failed login for an unknown name). Returns 0/-1. */
int audit_log(db_conn *c, arena *a, long long actor_id, const char *client_ip, const char *action,
              const char *subject, const char *detail);

typedef struct audit_entry {
    long long actor_id;    /* who did it; 0: nobody known (a job) */
    const char *client_ip; /* from where; NULL: "" */
    const char *action;    /* what kind of change: "persoon_gewijzigd" */
    const char *subject;   /* what it is, readable: a name, a title */
    const char *detail;    /* a free remark; NULL: "" */
    long long person_id;   /* what it concerns (0: not a person) */
    long long org_id;      /* (0: not an organisation) */
    long long event_id;    /* (0: not an event) */
    buf changes;           /* the field lines audit_field wrote */
    int nchanges;
} audit_entry;

/* Starts an entry in arena a. */
void audit_begin(audit_entry *e, arena *a, long long actor_id, const char *client_ip,
                 const char *action, const char *subject);
/* Records that field went from old to new (NULL reads as ""); nothing when
 * they are equal. Tabs and line breaks inside a value become spaces. */
void audit_field(audit_entry *e, const char *field, const char *old, const char *new_value);
/* Writes the line. 0 or -1. */
int audit_write(db_conn *c, arena *a, const audit_entry *e);

/* One field line of a stored changes text. */
typedef struct audit_change {
    const char *field, *old, *new_value;
} audit_change;
/* Pure: splits a changes text into at most max lines (strings in a);
 * returns their number. A line without exactly two tabs is skipped. */
int audit_changes_split(arena *a, const char *text, audit_change *out, int max);

/* Searching the trail (the back office). Every member may be 0 / NULL:
 * not filtered on. */
typedef struct audit_filter {
    long long person_id; /* lines about the person, or made by them */
    long long org_id;
    long long event_id;
    const char *from, *to; /* 'YYYY-MM-DD', both days included (business time) */
    const char *text;      /* in the action, the subject or the actor's name or address */
} audit_filter;

/* Matching lines, counted up to cap; -1 on a database error. */
long long audit_count(db_conn *c, arena *a, const audit_filter *f, long long cap);
/* One page as k says (newest first by id): id, at, action, subject, detail,
 * changes, person_id, organisation_id, event_id, client_ip, actor_email,
 * actor_first, actor_infix, actor_last, plus the keyset columns. NULL on a
 * database error. */
db_res *audit_page(db_conn *c, arena *a, const audit_filter *f, const db_keyset *k);

#endif
