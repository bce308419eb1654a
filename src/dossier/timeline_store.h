/* timeline_store.h - the query of the Digitaal Dossier's timeline: the
 * registrations (a row per step: made, processed, cancelled), messages and
 * invoices of one file, newest first, in one UNION read by key.
 *
 * Whose file: a dossier_tl_scope is built from the session, never from the
 * request.
 *   person context (org_id 0): the registrations the person takes part in
 *     (whoever pays: they are the person's courses, as under Cursussen),
 *     the messages and invoices addressed to the person;
 *   beheerder of org_id: the registrations invoiced to the organisation,
 *     its messages and its invoices;
 *   medewerker of org_id: only their own registrations invoiced to the
 *     organisation. No invoices, and no messages: the organisation's are
 *     for its beheerders, and the message pages show a medewerker none
 *     while acting for the organisation (the person's own messages are in
 *     their person file), so the timeline links to none either.
 *
 * Memory: rows in the caller's arena. Thread-safety: no state; the caller's
 * connection. Returns NULL on a database error. */
#ifndef KP_DOSSIER_TIMELINE_STORE_H
#define KP_DOSSIER_TIMELINE_STORE_H

#include "core/arena.h"
#include "db/db.h"
#include "db/keyset.h"

/* The kinds of item, to choose from (a bit each). */
enum {
    DOSSIER_REGISTRATIONS = 1,
    DOSSIER_MESSAGES = 2,
    DOSSIER_INVOICES = 4,
    DOSSIER_ALL = 7,
};

typedef struct dossier_tl_scope {
    long long person_id; /* the reader */
    long long org_id;    /* the organisation acted for, 0: as person */
    int beheerder;       /* beheerder of org_id */
} dossier_tl_scope;

/* The kinds this scope may see at all (a medewerker: registrations). */
int dossier_kinds_allowed(const dossier_tl_scope *s);

/* One page of the timeline of the kinds in `kinds` (limited to what the
 * scope may see), ordered by moment then seq, both descending; k gives the
 * page (expr and id_expr are set here; the caller sets key, id and limit).
 * Columns:
 *   kind          'inschrijving', 'bericht' or 'factuur'
 *   step          registrations: 'aangemeld', 'wachtlijst' (made on the
 *                 waiting list, still on it), 'verwerkt', 'geannuleerd';
 *                 else the kind
 *   at            Unix seconds of the step, message or invoice (an
 *                 invoice whose row was written on another day than its
 *                 date counts at noon of its date)
 *   seq           unique per item and step: the tie-breaker
 *   item_id       the registration's, message's or invoice's id
 *   title         event name, message subject or invoice number
 *   course_name   the registration's course
 *   first_name, infix, last_name   the participant (as the paying
 *                 organisation knows them)
 *   org_name      the organisation a registration is invoiced to
 *   doc_kind      'factuur' or 'creditnota'
 *   amount_cents, status, due_date   of an invoice ('open' / 'betaald');
 *                 status is also the registration's current status
 *   unread        1 when the reader has not opened the message
 *   ks_key, ks_id for the next page's boundary
 * *more says whether older items follow the page. Kinds the scope may not
 * see give no rows (no query). */
db_res *dossier_timeline(db_conn *c, arena *a, const dossier_tl_scope *s, int kinds, db_keyset *k,
                         int *more);

#endif
