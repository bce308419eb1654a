/* store.h - invoices as documents: issuing them from processed
 * registrations, their numbers, credit notes, payment, and reading them back
 * for the customer's pages, the PDF and the e-invoice.
 *
 * An issued invoice is a copy: the invoice party's name and address, the
 * provider's facts, the reference, the lines and the VAT are written into
 * the invoice's own rows when it is issued and never change afterwards
 * (only status, paid_on and reminder_sent_at do). Everything printed comes
 * from that copy.
 *
 * Numbers are "YYYY-NNNNNN", consecutive per year of the invoice date: the
 * counter row of the year is raised in the transaction that writes the
 * invoice, so concurrent runs (threads or server processes) wait for each
 * other and a rolled-back run leaves no gap.
 *
 * Money is integer cents (shown with money_nl, core/timeutil.h). A line holds its net amount (VAT
 * excluded) and its VAT rate (0 = exempt, 9, 21); the VAT is computed per rate on the sum of the
 * lines of that rate, rounded half away from zero to the cent, as EN 16931 does. A credit note has
 * negative amounts.
 *
 * Scoping: reads take an inv_scope built from the session, never from the
 * form: a person sees the invoices addressed to them as a person, a
 * beheerder acting for an organisation the organisation's, staff all.
 *
 * Memory: results live in the caller's arena. Thread-safety: the functions
 * keep no state; each call uses the connection it is given. Return values:
 * 0 / a count on success, -1 on a database error (the caller shows its
 * error page), and where stated a positive "not found" or a Dutch reason.
 */
#ifndef KP_INVOICING_STORE_H
#define KP_INVOICING_STORE_H

#include "core/arena.h"
#include "db/db.h"

/* The text on an exempt line and in the e-invoice's exemption reason. */
#define INV_EXEMPT_TEXT "Vrijgesteld van btw, art. 11 lid 1 onder o Wet OB"
#define INV_DUE_DAYS 30
/* A reminder goes this many days after the due date, once. */
#define INV_REMINDER_DAYS 14
/* The VAT rates a line may have, in percent: exempt, low, high. */
#define INV_RATES 3

/* The largest amount one line may have: ten million euros, far from any
 * overflow of the VAT arithmetic. */
#define INV_MAX_CENTS 1000000000LL

/* Most lines on one invoice (one per registration). */
#define INV_MAX_LINES 500

typedef struct inv_party {
    const char *name;      /* person's full name or organisation's name */
    const char *attention; /* organisation: "t.a.v." a contact, or "" */
    const char *street, *house_number, *postcode, *city;
    const char *kvk;   /* organisation's KvK number, or "" */
    const char *email; /* where the invoice was sent: invoice email or the person's */
} inv_party;

typedef struct inv_seller {
    const char *name, *street, *postcode, *city;
    const char *kvk, *vat, *iban, *email, *phone;
} inv_seller;

typedef struct inv_line {
    const char *description;
    long long net_cents;                 /* VAT excluded; negative on a credit note */
    int vat_rate;                        /* 0 (exempt), 9 or 21 */
    long long registration_id, event_id; /* 0 when none */
} inv_line;

/* One VAT rate's part of the invoice. */
typedef struct inv_vat {
    int rate;
    long long net_cents, vat_cents;
} inv_vat;

typedef struct inv_invoice {
    long long id;
    const char *number;                            /* "2026-000123" */
    int credit;                                    /* a credit note (creditnota) */
    const char *credit_of_number, *credit_of_date; /* the corrected invoice, or NULL */
    long long person_id, organisation_id;          /* exactly one is not 0 */
    const char *invoice_date, *due_date;           /* YYYY-MM-DD */
    const char *status;                            /* "open" or "betaald" as stored */
    const char *paid_on;                           /* YYYY-MM-DD or NULL */
    long long net_cents, vat_cents, total_cents;
    const char *reference;         /* Referentie / inkoopnummer, or "" */
    const char *payment_reference; /* quote with the transfer */
    inv_party party;
    inv_seller seller;
    inv_line *lines;
    int nlines;
    inv_vat vats[INV_RATES]; /* ascending rate */
    int nvats;
} inv_invoice;

/* Who issues: the staff member (0 for the demo and jobs) and their
 * address, for the audit trail. */
typedef struct inv_actor {
    long long person_id;
    const char *client_ip;
} inv_actor;

/* The job kind that mails a new invoice with its PDF; the payload is the
 * invoice's id. Issuing queues it in the issuing transaction. */
#define INV_MAIL_JOB "factuur-mail"

/* Who is reading. person context: person_id set, organisation_id 0;
 * organisation context (beheerders only; the caller checks the role):
 * organisation_id set; staff: staff = 1 and both ids 0. */
typedef struct inv_scope {
    long long person_id, organisation_id;
    int staff;
} inv_scope;

/* Fills vats, net_cents, vat_cents and total_cents from the lines. Pure. */
void inv_totals(inv_invoice *inv);
/* "open", "betaald" or "vervallen" (an invoice open and due before today);
 * a credit note is owed to the customer, so it never falls due: "open" or,
 * once settled, "verrekend". kind is the stored kind, "factuur" or
 * "creditnota". */
const char *inv_status_shown(const char *kind, const char *status, const char *due_date,
                             const char *today);
/* Is s shaped like an invoice number ("2026-000123")? */
int inv_number_valid(const char *s);

/* One invoice with its lines, by number, if the scope may see it.
 * Returns 1 and *out, 0 when there is none for this scope, -1 on error. */
int inv_load(db_conn *c, arena *a, const inv_scope *s, const char *number, inv_invoice **out);
/* The same by id, for the back office and jobs (no scope). */
int inv_load_id(db_conn *c, arena *a, long long id, inv_invoice **out);
/* The invoices the scope may see, newest first: id, number, kind,
 * invoice_date, due_date, amount_cents, status, paid_on, party_name,
 * reference. At most 500. */
db_res *inv_list(db_conn *c, arena *a, const inv_scope *s);

/* What to invoice: processed registrations without an invoice line, of
 * maatwerk-free events, narrowed by whatever is set (0 / NULL: any). */
typedef struct inv_select {
    long long registration_id;
    long long event_id;
    long long organisation_id; /* invoice party is this organisation */
    const char *month;         /* "YYYY-MM": events starting that month */
} inv_select;

/* The registrations inv_issue would invoice: id, event_id, event_name,
 * course_name, starts_on, price_cents, vat_rate, reference, person_id,
 * organisation_id, party_name (organisation or person), participant
 * (full name); by party then event. At most 1000. */
db_res *inv_pending(db_conn *c, arena *a, const inv_select *sel);

/* Issues, in one transaction with retry, one invoice per invoice party
 * over the selected registrations (a line each: course and event,
 * participant, date; the registration's price incl. VAT split into net and
 * VAT at the course's rate), dated today, due INV_DUE_DAYS later, and
 * queues the "Nieuwe factuur" mail of each (INV_MAIL_JOB). *numbers gets the new numbers
 * (in a), *n how many. Returns 0 (also when nothing was pending: *n = 0)
 * or -1. */
int inv_issue(db_conn *c, arena *a, const inv_select *sel, const inv_actor *by, const char *today,
              const char ***numbers, int *n);

/* A maatwerk event invoiced as a whole: one line with staff's description
 * and net amount at vat_rate, to the event's organisation. Refused (a Dutch
 * reason in *why, returns 1) when the event is not maatwerk, is cancelled
 * or already has an event line; 2 when there is no such event. 0 with
 * *number, or -1. */
int inv_issue_event(db_conn *c, arena *a, long long event_id, const char *description,
                    long long net_cents, int vat_rate, const inv_actor *by, const char *today,
                    const char **number, const char **why);

/* Cancelled registrations whose invoice line is not credited yet:
 * registration_id, invoice_number, invoice_id, participant, description,
 * amount_cents (the line's net), party_name. At most 500. */
db_res *inv_credit_pending(db_conn *c, arena *a);
/* Issues the credit note for a cancelled registration's invoiced line:
 * the line negated, to the original's party (as on the original),
 * referring to the original. 0 with *number, 1 with a Dutch *why (not
 * cancelled, not invoiced, already credited), or -1. */
int inv_issue_credit(db_conn *c, arena *a, long long registration_id, const inv_actor *by,
                     const char *today, const char **number, const char **why);

/* Marks an open invoice paid on paid_on (YYYY-MM-DD), with an audit line.
 * 0, 1 when it is not open (already paid, unknown), -1. */
int inv_mark_paid(db_conn *c, arena *a, const char *number, const char *paid_on,
                  const inv_actor *by);

#endif
