/* admin_queue.h - the administratie's registrations: the queue
 * /beheer/inschrijvingen (admin_queue.c), one registration's page with
 * Verwerken, Verplaatsen and Annuleren (admin_queue_detail.c), enrolling
 * anyone (admin_queue_new.c), the processing itself and its mail
 * "Bevestiging" (admin_queue_process.c) and their queries
 * (admin_queue_store.c).
 *
 * Staff act for no organisation: nothing here is scoped by the session's
 * organisation, but every id comes from the path or the form and is looked
 * up; what is not found is a 404. Every change is one db_tx with its audit
 * line (old -> new per field) and its mails.
 *
 * Queries run on the caller's connection; results live in the caller's
 * arena; NULL or -1 is a database error kept on the connection. Private to
 * src/enrolment/. */
#ifndef KP_ENROLMENT_ADMIN_QUEUE_H
#define KP_ENROLMENT_ADMIN_QUEUE_H

#include "app.h"
#include "db/db.h"
#include "db/keyset.h"
#include "http/http.h"
#include "http/router.h"
#include "web/tmpl.h"

#define QUEUE_PATH "/beheer/inschrijvingen"
/* The most registrations one click processes. */
#define QUEUE_MAX_SELECTED 100

/* ------------------------------------------------------------ queries */

typedef struct queue_filter {
    const char *status;   /* aangemeld, verwerkt, wachtlijst, geannuleerd; NULL: all */
    const char *event_id; /* NULL: every event */
    const char *org_id;   /* invoiced to this organisation; NULL: any */
    const char *q;        /* words that must each occur in the participant's name or
                             address; NULL: all */
} queue_filter;

/* How many registrations match, counted up to cap; -1 on an error. */
long long queue_count(db_conn *c, arena *a, const queue_filter *f, long long cap);
/* One page as k says; columns: id, status, created_at, person_id,
 * confirmed (0: a bezoeker's sign-up whose address is not confirmed yet),
 * first_name, infix, last_name, email, org_name (the invoiced
 * organisation), applicant_org_name, event_id, event_name, starts_on,
 * course_name, moved_to (the registration it became, or NULL), has_match
 * (1: a bezoeker's address that a person has already), and the keyset's. */
db_res *queue_page(db_conn *c, arena *a, const queue_filter *f, const db_keyset *k);

/* One registration for its page; columns: those of
 * enrolment_registration, and source, confirmed_at, hold_until,
 * processed_at, cancelled_at, confirmation_sent, terms_version, the
 * participant's street, house_number, postcode, city, phone, birth_date,
 * the applicant_ columns (email, street, house_number, postcode, city,
 * phone, birth_date, org_name, invoice_address), who enrolled it
 * (by_first_name, by_infix, by_last_name, by_email, enrolled_by_staff),
 * event_cancelled, course_id, moved_from, moved_to (the registration it
 * became). No rows when there is none. */
db_res *queue_registration(db_conn *c, arena *a, const char *reg_id);

/* The audit lines about a registration, oldest first; columns: at, action,
 * detail, changes, actor_first_name, actor_infix, actor_last_name. */
db_res *queue_history(db_conn *c, arena *a, const char *reg_id);

/* The person who has this address, if any; columns: id, first_name,
 * infix, last_name, email, street, house_number, postcode, city,
 * birth_date, has_login, blocked. */
db_res *queue_match(db_conn *c, arena *a, const char *email);

/* Organisations whose name is name, ignoring case; columns: id, name,
 * city. */
db_res *queue_orgs_named(db_conn *c, arena *a, const char *name);

/* Events to choose from: not cancelled, starting from 60 days before today
 * (a course may be moved or enrolled late), soonest first, at most 300,
 * and keep_id too when given; columns: id, name, course_name, starts_on,
 * start_time, places, waiting, open (enrolment still open today),
 * cancelled. */
db_res *queue_event_options(db_conn *c, arena *a, const char *today, const char *keep_id);

/* Organisations by name, at most 500, and keep_id too; columns: id, name. */
db_res *queue_org_options(db_conn *c, arena *a, const char *keep_id);

/* Persons whose name or address holds every word of q, at most max, by
 * name; columns: id, first_name, infix, last_name, email, city, is_staff. */
db_res *queue_people(db_conn *c, arena *a, const char *q, int max);

/* The person's active organisations; columns: id, name, role. */
db_res *queue_person_orgs(db_conn *c, arena *a, const char *person_id);

/* --------------------------------------------------------- processing */

/* Why a registration was not processed (above the ENROL_* refusals). */
enum {
    QUEUE_UNCONFIRMED = 20, /* a bezoeker's address is not confirmed yet */
    QUEUE_WAITING,          /* on the waiting list: nothing to confirm */
    QUEUE_DONE,             /* already processed */
    QUEUE_CANCELLED,        /* cancelled */
    QUEUE_MATCH,            /* a person has this address: staff confirm the match first */
    QUEUE_TWICE,            /* that person is in the event already */
    QUEUE_GONE,             /* no such registration */
    QUEUE_NO_ORG,           /* the organisation chosen does not exist */
};

/* What staff chose on a bezoeker's registration page. */
typedef enum queue_org_mode {
    QUEUE_ORG_NONE = 0, /* invoice to the person, as processed from the queue */
    QUEUE_ORG_EXISTING, /* to an existing organisation (org_id); the person joins it */
    QUEUE_ORG_NEW,      /* to a new organisation with the name the bezoeker typed */
} queue_org_mode;

typedef struct queue_choice {
    long long link_person; /* the person staff confirmed as this address's; 0: none */
    queue_org_mode org;
    long long org_id; /* with QUEUE_ORG_EXISTING */
} queue_choice;

typedef struct queue_outcome {
    int refusal;         /* 0, or QUEUE_* for this registration */
    const char *name;    /* the participant */
    const char *event;   /* the event's name */
    long long person_id; /* the participant after processing */
    int created;         /* the person was made now */
    int activation;      /* the activation mail was queued */
} queue_outcome;

/* A db_tx unit: processes ids[0..n-1] all or none. */
typedef struct queue_run {
    const app *ap;
    long long actor; /* the staff member */
    const char *client_ip;
    const char *const *ids;
    int n;
    const queue_choice *choice; /* for one registration from its page; NULL: the queue's
                                   defaults (no match confirmed, no organisation) */
    queue_outcome *out;         /* n, in the caller's arena */
    int refused;                /* how many were refused (then nothing is stored) */
} queue_run;

/* Returns 0 (all processed: commit), QUEUE_* (> 0: roll back; every
 * refusal is in out[], except after a unique-index race, which stops at
 * once) or -1. Each: locks the event, checks the registration under the
 * lock, for a bezoeker finds or makes the person (an existing person only
 * when confirmed), links the organisation when chosen, queues the
 * activation mail for a person without a login, sets verwerkt,
 * processed_at and confirmation_sent, queues the Bevestiging and writes
 * the audit line. */
int queue_process(db_conn *c, arena *a, void *arg);

/* The registration (queue_registration) read after its event's row is
 * locked in the caller's transaction: the order of every enrolment
 * transaction, so a cancel, a lapse or a move never passes what follows.
 * NULL on an error; no rows when there is none. */
db_res *queue_lock(db_conn *c, arena *a, const char *reg_id);

/* One refusal in words, for staff. */
const char *queue_refusal_text(int refusal);

/* ---------------------------------------------------------------- pages */

/* Status as staff read it: "Aangemeld" or "Wachtlijst" (with ", e-mailadres
 * nog niet bevestigd" for an unconfirmed sign-up), "Verwerkt",
 * "Geannuleerd", or "Verplaatst" for one that moved to another event. */
const char *queue_status_label(const char *status, int confirmed, int moved);

/* The page's context with Beheer » Inschrijvingen » last (NULL: the queue
 * itself is the page). */
tv *queue_ctx(http_req *rq, const char *last);

/* What the registration's page shows besides the registration itself. */
typedef struct queue_detail_opts {
    const char *error;       /* above the actions (a refusal), or NULL */
    const char *move_error;  /* under the move form, or NULL */
    int ask_cancel;          /* show "Ja, annuleren" */
    const char *moved_event; /* the event chosen in the move form, kept */
    int moved_waitlist;      /* its waiting-list box, kept */
    int status;              /* of the page */
} queue_detail_opts;

/* Renders /beheer/inschrijvingen/<id> (404 when there is none). */
void queue_detail_page(http_req *rq, http_resp *rs, const char *id, const queue_detail_opts *o);

/* 1 when the registration's reference may still change (no invoice line
 * names it), 0 when not, -1 on an error. The change itself
 * (admin_queue_reference.c) checks again in its UPDATE. */
int queue_reference_editable(db_conn *c, arena *a, const char *reg_id);

void enrolment_queue_detail_routes(router *r);
void enrolment_queue_reference_routes(router *r);
void enrolment_queue_action_routes(router *r);
void enrolment_queue_new_routes(router *r);

#endif
