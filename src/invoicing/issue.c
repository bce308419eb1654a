/* issue.c - issuing invoices and credit notes, and payment (see store.h).
 *
 * Every run takes the lock "facturen" first (PostgreSQL: an advisory
 * transaction lock; SQLite's BEGIN IMMEDIATE already serialises writers),
 * so two staff members or two servers invoicing at the same moment run one
 * after the other: the second sees the first's lines and never invoices a
 * registration twice, and the counter row gives numbers without gap or
 * duplicate. The unique indexes on invoice_lines are the last guard. */
#include <stdio.h>
#include <string.h>

#include "auth/audit.h"
#include "core/buf.h"
#include "core/provider.h"
#include "core/timeutil.h"
#include "core/utf8.h"
#include "invoicing/internal.h"
#include "jobs/jobs.h"

/* A participant's full name in SQL, as names_full writes it. */
#define FULL_NAME(p)                                                                               \
    p ".first_name || CASE WHEN " p ".infix = '' THEN '' ELSE ' ' || " p ".infix END || ' ' || " p \
      ".last_name"

#define PENDING_SQL                                                                                \
    "SELECT r.id, r.event_id, e.name AS event_name, co.name AS course_name, e.starts_on, "         \
    "r.price_cents, co.vat_rate, r.reference, r.person_id, r.organisation_id, "                    \
    "r.applicant_org_name, r.applicant_invoice_address, " FULL_NAME(                               \
        "p") " AS participant, "                                                                   \
             "COALESCE(o.name, " FULL_NAME(                                                        \
                 "p") ") AS party_name "                                                           \
                      "FROM registrations r JOIN events e ON e.id = r.event_id "                   \
                      "JOIN courses co ON co.id = e.course_id JOIN persons p ON p.id = "           \
                      "r.person_id "                                                               \
                      "LEFT JOIN organisations o ON o.id = r.organisation_id "                     \
                      "WHERE r.status = 'verwerkt' AND co.maatwerk_org_id IS NULL "                \
                      "AND NOT EXISTS (SELECT 1 FROM invoice_lines l WHERE l.registration_id = "   \
                      "r.id)"

db_res *inv_pending(db_conn *c, arena *a, const inv_select *sel)
{
    const char *params[4];
    int n = 0;
    buf sql;
    buf_init(&sql, a, 1024);
    buf_puts(&sql, PENDING_SQL);
    if (sel->registration_id > 0) {
        params[n++] = inv_num(a, sel->registration_id);
        buf_printf(&sql, " AND r.id = $%d", n);
    }
    if (sel->event_id > 0) {
        params[n++] = inv_num(a, sel->event_id);
        buf_printf(&sql, " AND r.event_id = $%d", n);
    }
    if (sel->organisation_id > 0) {
        params[n++] = inv_num(a, sel->organisation_id);
        buf_printf(&sql, " AND r.organisation_id = $%d", n);
    }
    if (sel->month && *sel->month) {
        params[n++] = sel->month;
        buf_printf(&sql, " AND substr(e.starts_on, 1, 7) = $%d", n);
    }
    buf_puts(&sql, " ORDER BY party_name, r.organisation_id, r.person_id, e.starts_on, r.id "
                   "LIMIT 1000");
    return db_select(c, a, sql.data, n, params);
}

/* The net part of a price that includes VAT at rate, rounded to the cent. */
static long long net_of(long long gross, int rate)
{
    long long x = gross * 100, d = 100 + rate;
    long long q = x / d, r = x % d;
    if (2 * r >= d) q++;
    if (-2 * r >= d) q--;
    return q;
}

/* The next number of the invoice date's year, "2026-000123". */
static const char *next_number(db_conn *c, arena *a, const char *date)
{
    char year[5];
    snprintf(year, sizeof year, "%.4s", date);
    db_res *r;
    if (db_q(c, a, &r,
             "INSERT INTO invoice_counters (year, last_seq) VALUES ($1, 1) ON CONFLICT (year) "
             "DO UPDATE SET last_seq = invoice_counters.last_seq + 1 RETURNING last_seq",
             year) != 1)
        return NULL;
    long long seq = db_int(r, 0, "last_seq");
    if (seq > 999999) return NULL; /* the number has six digits: refuse, never a seventh */
    return arena_printf(a, "%s-%06lld", year, seq);
}

static const char *or_empty(const db_res *r, const char *col)
{
    const char *v = db_val(r, 0, col);
    return v ? v : "";
}

/* The organisation as invoice party: its postal address when it has one,
 * else its visiting address; its invoice email, else its general one. */
static int org_party(db_conn *c, arena *a, long long org_id, inv_party *p)
{
    db_res *r;
    if (db_q(c, a, &r,
             "SELECT name, kvk_number, "
             "CASE WHEN postal_street <> '' THEN postal_street ELSE visit_street END AS street, "
             "CASE WHEN postal_street <> '' THEN postal_house_number ELSE visit_house_number END "
             "AS house_number, "
             "CASE WHEN postal_street <> '' THEN postal_postcode ELSE visit_postcode END "
             "AS postcode, "
             "CASE WHEN postal_street <> '' THEN postal_city ELSE visit_city END AS city, "
             "CASE WHEN invoice_email <> '' THEN invoice_email ELSE email END AS mail "
             "FROM organisations WHERE id = $1",
             inv_num(a, org_id)) != 1)
        return -1;
    *p = (inv_party){or_empty(r, "name"),       "",
                     or_empty(r, "street"),     or_empty(r, "house_number"),
                     or_empty(r, "postcode"),   or_empty(r, "city"),
                     or_empty(r, "kvk_number"), or_empty(r, "mail")};
    return 0;
}

static int person_party(db_conn *c, arena *a, long long person_id, inv_party *p)
{
    db_res *r;
    if (db_q(c, a, &r,
             "SELECT " FULL_NAME("p") " AS name, street, house_number, postcode, city, email "
                                      "FROM persons p WHERE id = $1",
             inv_num(a, person_id)) != 1)
        return -1;
    *p = (inv_party){or_empty(r, "name"),
                     "",
                     or_empty(r, "street"),
                     or_empty(r, "house_number"),
                     or_empty(r, "postcode"),
                     or_empty(r, "city"),
                     "",
                     or_empty(r, "email")};
    return 0;
}

static inv_seller provider(void)
{
    return (inv_seller){PROVIDER_NAME, PROVIDER_STREET, PROVIDER_POSTCODE,
                        PROVIDER_CITY, PROVIDER_KVK,    PROVIDER_VAT,
                        PROVIDER_IBAN, PROVIDER_EMAIL,  PROVIDER_PHONE};
}

static const char *id_or_null(arena *a, long long id)
{
    return id > 0 ? inv_num(a, id) : NULL;
}

/* Writes inv (its totals computed here) as issued, with its lines, the
 * audit line and the mail job. credit_of/credits: the corrected invoice and
 * line, or 0. Fills inv->id. 0 or -1. */
static int write_invoice(db_conn *c, arena *a, inv_invoice *inv, long long credit_of,
                         const long long *credits, const inv_actor *by)
{
    inv_totals(inv);
    db_res *r;
    const inv_party *p = &inv->party;
    const inv_seller *s = &inv->seller;
    if (db_q(c, a, &r,
             "INSERT INTO invoices (number, kind, credit_of, person_id, organisation_id, "
             "invoice_date, due_date, amount_cents, net_cents, vat_cents, status, reference, "
             "payment_reference, party_name, party_attention, party_street, party_house_number, "
             "party_postcode, party_city, party_kvk, party_email, seller_name, seller_street, "
             "seller_postcode, seller_city, seller_kvk, seller_vat, seller_iban, seller_email, "
             "seller_phone, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, "
             "$10, 'open', $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, "
             "$25, $26, $27, $28, $29, $30, $31) RETURNING id",
             inv->number, inv->credit ? "creditnota" : "factuur", id_or_null(a, credit_of),
             id_or_null(a, inv->person_id), id_or_null(a, inv->organisation_id), inv->invoice_date,
             inv->due_date, inv_num(a, inv->total_cents), inv_num(a, inv->net_cents),
             inv_num(a, inv->vat_cents), inv->reference, inv->payment_reference, p->name,
             p->attention, p->street, p->house_number, p->postcode, p->city, p->kvk, p->email,
             s->name, s->street, s->postcode, s->city, s->kvk, s->vat, s->iban, s->email, s->phone,
             id_or_null(a, by->person_id), inv_num(a, (long long)clock_now())) != 1)
        return -1;
    inv->id = db_int(r, 0, "id");
    for (int i = 0; i < inv->nlines; i++) {
        const inv_line *l = &inv->lines[i];
        if (db_q(c, a, NULL,
                 "INSERT INTO invoice_lines (invoice_id, registration_id, event_id, credits_line, "
                 "description, amount_cents, vat_rate, position) "
                 "VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                 inv_num(a, inv->id), id_or_null(a, l->registration_id), id_or_null(a, l->event_id),
                 id_or_null(a, credits ? credits[i] : 0), l->description, inv_num(a, l->net_cents),
                 inv_num(a, l->vat_rate), inv_num(a, i + 1)) < 0)
            return -1;
    }
    audit_entry e;
    audit_begin(&e, a, by->person_id, by->client_ip,
                inv->credit ? "creditfactuur_gemaakt" : "factuur_gemaakt", inv->number);
    e.person_id = inv->person_id;
    e.org_id = inv->organisation_id;
    audit_field(&e, "aan", "", p->name);
    audit_field(&e, "bedrag", "", money_nl(a, inv->total_cents));
    if (credit_of) audit_field(&e, "creditering van", "", inv->credit_of_number);
    if (audit_write(c, a, &e) != 0) return -1;
    return jobs_enqueue(c, a, INV_MAIL_JOB, inv_num(a, inv->id), 0) < 0 ? -1 : 0;
}

/* A new invoice dated today, to the provider's account, numbered. */
static inv_invoice *new_invoice(db_conn *c, arena *a, const char *today, int nlines)
{
    inv_invoice *inv = arena_zalloc(a, sizeof *inv);
    inv->number = next_number(c, a, today);
    inv->invoice_date = today;
    inv->due_date = date_plus(a, today, INV_DUE_DAYS);
    if (!inv->number || !inv->due_date) return NULL;
    inv->payment_reference = inv->number;
    inv->seller = provider();
    inv->lines = arena_zalloc(a, sizeof *inv->lines * (size_t)nlines);
    return inv;
}

/* The references of the rows, each once, joined with ", ". */
static const char *references(arena *a, const db_res *r, const int *rows, int n)
{
    buf b;
    buf_init(&b, a, 64);
    for (int i = 0; i < n; i++) {
        const char *ref = db_val(r, rows[i], "reference");
        int seen = !ref || !*ref;
        for (int k = 0; k < i && !seen; k++)
            seen = strcmp(ref, db_val(r, rows[k], "reference")) == 0;
        if (seen) continue;
        if (b.len) buf_puts(&b, ", ");
        buf_puts(&b, ref);
    }
    if (!b.data) return "";
    /* never half a character */
    return arena_strndup(a, b.data, utf8_cut(b.data, b.len, 200));
}

static void line_of(arena *a, const db_res *r, int i, inv_line *l)
{
    int rate = (int)db_int(r, i, "vat_rate");
    l->description =
        arena_printf(a, "%s, %s – deelnemer %s", db_val(r, i, "event_name"),
                     date_long_nl(a, db_val(r, i, "starts_on")), db_val(r, i, "participant"));
    l->net_cents = net_of(db_int(r, i, "price_cents"), rate);
    l->vat_rate = rate;
    l->registration_id = db_int(r, i, "id");
}

/* The party of the group's first row: the organisation, or the person (or
 * the organisation a visitor typed at sign-up, for the person's attention). */
static int party_of(db_conn *c, arena *a, const db_res *r, int i, inv_invoice *inv)
{
    long long org = db_int(r, i, "organisation_id");
    inv->person_id = org ? 0 : db_int(r, i, "person_id");
    inv->organisation_id = org;
    if (org) return org_party(c, a, org, &inv->party);
    if (person_party(c, a, inv->person_id, &inv->party) != 0) return -1;
    const char *typed = db_val(r, i, "applicant_org_name");
    if (typed && *typed) {
        const char *addr = db_val(r, i, "applicant_invoice_address");
        inv->party.attention = inv->party.name;
        inv->party.name = typed;
        inv->party.street = addr ? addr : "";
        inv->party.house_number = inv->party.postcode = inv->party.city = "";
    }
    return 0;
}

typedef struct issue_run {
    const inv_select *sel;
    const inv_actor *by;
    const char *today;
    const char **numbers;
    int n;
} issue_run;

/* Is row j invoiced to the same party as row i? */
static int same_party(const db_res *r, int i, int j)
{
    long long oi = db_int(r, i, "organisation_id"), oj = db_int(r, j, "organisation_id");
    if (oi || oj) return oi == oj;
    if (db_int(r, i, "person_id") != db_int(r, j, "person_id")) return 0;
    /* a visitor's typed organisation is a party of its own */
    const char *ti = db_val(r, i, "applicant_org_name"), *tj = db_val(r, j, "applicant_org_name");
    return strcmp(ti ? ti : "", tj ? tj : "") == 0;
}

static int issue_tx(db_conn *c, arena *a, void *arg)
{
    issue_run *run = arg;
    run->n = 0;
    if (db_lock(c, a, "facturen") != 0) return -1;
    db_res *r = inv_pending(c, a, run->sel);
    if (!r) return -1;
    run->numbers = arena_zalloc(a, sizeof *run->numbers * (size_t)(r->nrows + 1));
    char *done = arena_zalloc(a, (size_t)r->nrows + 1);
    int *rows = arena_zalloc(a, sizeof *rows * (size_t)(r->nrows + 1));
    for (int i = 0; i < r->nrows; i++) {
        if (done[i]) continue;
        int n = 0;
        for (int j = i; j < r->nrows && n < INV_MAX_LINES; j++)
            if (!done[j] && same_party(r, i, j)) {
                rows[n++] = j;
                done[j] = 1;
            }
        inv_invoice *inv = new_invoice(c, a, run->today, n);
        if (!inv || party_of(c, a, r, i, inv) != 0) return -1;
        for (int k = 0; k < n; k++)
            line_of(a, r, rows[k], &inv->lines[k]);
        inv->nlines = n;
        inv->reference = references(a, r, rows, n);
        if (write_invoice(c, a, inv, 0, NULL, run->by) != 0) return -1;
        run->numbers[run->n++] = inv->number;
    }
    return 0;
}

int inv_issue(db_conn *c, arena *a, const inv_select *sel, const inv_actor *by, const char *today,
              const char ***numbers, int *n)
{
    issue_run run = {sel, by, today, NULL, 0};
    *numbers = NULL;
    *n = 0;
    if (db_tx(c, a, issue_tx, &run) != 0) return -1;
    *numbers = run.numbers;
    *n = run.n;
    return 0;
}

typedef struct event_run {
    long long event_id;
    const char *description;
    long long net_cents;
    int vat_rate;
    const inv_actor *by;
    const char *today;
    const char *number, *why;
} event_run;

static int event_tx(db_conn *c, arena *a, void *arg)
{
    event_run *run = arg;
    run->why = NULL;
    if (db_lock(c, a, "facturen") != 0) return -1;
    db_res *r;
    const char *id = inv_num(a, run->event_id);
    if (db_q(c, a, &r,
             "SELECT co.maatwerk_org_id, e.cancelled, "
             "(SELECT count(*) FROM invoice_lines l WHERE l.event_id = e.id) AS invoiced "
             "FROM events e JOIN courses co ON co.id = e.course_id WHERE e.id = $1",
             id) < 0)
        return -1;
    if (r->nrows == 0) return 2;
    if (db_int(r, 0, "maatwerk_org_id") == 0) {
        run->why = "Dit evenement is geen maatwerk; factureer het per inschrijving.";
        return 1;
    }
    if (db_int(r, 0, "cancelled")) {
        run->why = "Dit evenement is geannuleerd; er komt geen factuur voor.";
        return 1;
    }
    if (db_int(r, 0, "invoiced") > 0) {
        run->why = "Dit evenement is al gefactureerd.";
        return 1;
    }
    inv_invoice *inv = new_invoice(c, a, run->today, 1);
    if (!inv) return -1;
    inv->organisation_id = db_int(r, 0, "maatwerk_org_id");
    if (org_party(c, a, inv->organisation_id, &inv->party) != 0) return -1;
    db_res *refs;
    if (db_q(c, a, &refs,
             "SELECT DISTINCT reference FROM registrations WHERE event_id = $1 "
             "AND status = 'verwerkt' AND reference <> '' ORDER BY reference",
             id) < 0)
        return -1;
    int *rows = arena_zalloc(a, sizeof *rows * (size_t)(refs->nrows + 1));
    for (int i = 0; i < refs->nrows; i++)
        rows[i] = i;
    inv->reference = references(a, refs, rows, refs->nrows);
    inv->lines[0] = (inv_line){run->description, run->net_cents, run->vat_rate, 0, run->event_id};
    inv->nlines = 1;
    if (write_invoice(c, a, inv, 0, NULL, run->by) != 0) return -1;
    run->number = inv->number;
    return 0;
}

int inv_issue_event(db_conn *c, arena *a, long long event_id, const char *description,
                    long long net_cents, int vat_rate, const inv_actor *by, const char *today,
                    const char **number, const char **why)
{
    *number = NULL;
    *why = NULL;
    if (!description || !*description || net_cents <= 0 || net_cents > INV_MAX_CENTS ||
        (vat_rate != 0 && vat_rate != 9 && vat_rate != 21)) {
        *why = "Vul een omschrijving, een bedrag groter dan nul en een btw-tarief in.";
        return 1;
    }
    event_run run = {event_id, description, net_cents, vat_rate, by, today, NULL, NULL};
    int rc = db_tx(c, a, event_tx, &run);
    if (rc == 2) return 2;
    if (run.why) {
        *why = run.why;
        return 1;
    }
    if (rc != 0) return -1;
    *number = run.number;
    return 0;
}

#define CREDIT_SQL                                                                                 \
    "SELECT r.id AS registration_id, i.number AS invoice_number, i.id AS invoice_id, "             \
    "l.id AS line_id, " FULL_NAME(                                                                 \
        "p") " AS participant, l.description, l.amount_cents, "                                    \
             "l.vat_rate, i.party_name "                                                           \
             "FROM registrations r JOIN invoice_lines l ON l.registration_id = r.id "              \
             "JOIN invoices i ON i.id = l.invoice_id JOIN persons p ON p.id = r.person_id "        \
             "WHERE r.status = 'geannuleerd' "                                                     \
             "AND NOT EXISTS (SELECT 1 FROM invoice_lines x WHERE x.credits_line = l.id)"

db_res *inv_credit_pending(db_conn *c, arena *a)
{
    return db_select(c, a, CREDIT_SQL " ORDER BY r.cancelled_at DESC, r.id LIMIT 500", 0, NULL);
}

typedef struct credit_run {
    long long registration_id;
    const inv_actor *by;
    const char *today;
    const char *number, *why;
} credit_run;

/* Why a registration cannot be credited (none of the reasons applies only
 * when the query failed). */
static const char *no_credit_reason(db_conn *c, arena *a, const char *id)
{
    db_res *r;
    if (db_q(c, a, &r,
             "SELECT r.status, (SELECT count(*) FROM invoice_lines l WHERE l.registration_id = "
             "r.id) AS invoiced FROM registrations r WHERE r.id = $1",
             id) < 0)
        return NULL;
    if (r->nrows == 0) return "Deze inschrijving bestaat niet.";
    if (strcmp(db_val(r, 0, "status"), "geannuleerd") != 0)
        return "Deze inschrijving is niet geannuleerd; alleen een geannuleerde inschrijving "
               "wordt gecrediteerd.";
    if (db_int(r, 0, "invoiced") == 0) return "Voor deze inschrijving is geen factuur gemaakt.";
    return "Deze inschrijving is al gecrediteerd.";
}

static int credit_tx(db_conn *c, arena *a, void *arg)
{
    credit_run *run = arg;
    run->why = NULL;
    if (db_lock(c, a, "facturen") != 0) return -1;
    const char *id = inv_num(a, run->registration_id);
    db_res *r;
    if (db_q(c, a, &r, CREDIT_SQL " AND r.id = $1", id) < 0) return -1;
    if (r->nrows == 0) {
        run->why = no_credit_reason(c, a, id);
        return run->why ? 1 : -1;
    }
    inv_invoice *orig;
    if (inv_load_id(c, a, db_int(r, 0, "invoice_id"), &orig) != 1) return -1;
    inv_invoice *inv = new_invoice(c, a, run->today, 1);
    if (!inv) return -1;
    inv->credit = 1;
    inv->credit_of_number = orig->number;
    inv->person_id = orig->person_id;
    inv->organisation_id = orig->organisation_id;
    inv->party = orig->party;
    inv->reference = orig->reference;
    inv->lines[0] = (inv_line){arena_printf(a, "Creditering: %s", db_val(r, 0, "description")),
                               -db_int(r, 0, "amount_cents"), (int)db_int(r, 0, "vat_rate"), 0, 0};
    inv->nlines = 1;
    long long line = db_int(r, 0, "line_id");
    if (write_invoice(c, a, inv, orig->id, &line, run->by) != 0) return -1;
    run->number = inv->number;
    return 0;
}

int inv_issue_credit(db_conn *c, arena *a, long long registration_id, const inv_actor *by,
                     const char *today, const char **number, const char **why)
{
    credit_run run = {registration_id, by, today, NULL, NULL};
    *number = NULL;
    *why = NULL;
    int rc = db_tx(c, a, credit_tx, &run);
    if (run.why) {
        *why = run.why;
        return 1;
    }
    if (rc != 0) return -1;
    *number = run.number;
    return 0;
}

typedef struct paid_run {
    const char *number, *paid_on;
    const inv_actor *by;
    int found;
} paid_run;

static int paid_tx(db_conn *c, arena *a, void *arg)
{
    paid_run *run = arg;
    db_res *r;
    if (db_q(c, a, &r,
             "UPDATE invoices SET status = 'betaald', paid_on = $2 "
             "WHERE number = $1 AND status = 'open' RETURNING person_id, organisation_id",
             run->number, run->paid_on) < 0)
        return -1;
    run->found = r->nrows;
    if (!run->found) return 0;
    audit_entry e;
    audit_begin(&e, a, run->by->person_id, run->by->client_ip, "factuur_betaald", run->number);
    e.person_id = db_int(r, 0, "person_id");
    e.org_id = db_int(r, 0, "organisation_id");
    audit_field(&e, "status", "open", "betaald");
    audit_field(&e, "betaald op", "", run->paid_on);
    return audit_write(c, a, &e);
}

int inv_mark_paid(db_conn *c, arena *a, const char *number, const char *paid_on,
                  const inv_actor *by)
{
    if (!inv_number_valid(number) || !date_valid(paid_on)) return 1;
    paid_run run = {number, paid_on, by, 0};
    if (db_tx(c, a, paid_tx, &run) != 0) return -1;
    return run.found ? 0 : 1;
}
