/* demo.c - see demo.h. Everything is inserted through the same db.h calls
 * the features use, so the demo runs unchanged on SQLite and PostgreSQL. */
#include "demo/demo.h"

#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth/password.h"
#include "catalog/slug.h"
#include "core/buf.h"
#include "core/timeutil.h"
#include "invoicing/store.h"
#include "people/people.h"

/* What the demo invoices once its rows are committed (see issue_invoices). */
typedef struct demo_invoices {
    const char *staff, *martin_done, *martin_next, *past_lv, *herenbos_reg, *maatwerk_gh;
} demo_invoices;

typedef struct demo {
    db_conn *c;
    arena *a;
    const char *now;  /* Unix seconds as text */
    const char *hash; /* Argon2id hash of DEMO_PASSWORD */
    int failed;
    char *err;
    size_t errlen;
    demo_invoices inv;
} demo;

/* Runs an INSERT … RETURNING id and gives the id; on error remembers the
 * first failure and returns "0" so the caller can go on without checks. */
static const char *ins(demo *d, const char *sql, int n, const char *const *p)
{
    db_res *r = NULL;
    if (d->failed) return "0";
    if (db_query(d->c, d->a, &r, sql, n, p) < 0 || !r || r->nrows != 1) {
        snprintf(d->err, d->errlen, "demogegevens: %s", db_errmsg(d->c));
        d->failed = 1;
        return "0";
    }
    return db_get(r, 0, 0);
}
#define INS(d, sql, ...)                                                                           \
    ins((d), (sql), (int)(sizeof((const char *[]){__VA_ARGS__}) / sizeof(const char *)),           \
        (const char *[]){__VA_ARGS__})

static const char *day(demo *d, int offset)
{
    return date_today_plus(d->a, offset);
}

static const char *num(demo *d, long long v)
{
    return arena_printf(d->a, "%lld", v);
}

static const char *category(demo *d, const char *parent_id, const char *parent_slug_path,
                            const char *parent_id_path, const char *name, const char *desc,
                            int order, const char **slug_path, const char **id_path)
{
    const char *slug = slug_make(d->a, name);
    *slug_path = parent_slug_path ? arena_printf(d->a, "%s/%s", parent_slug_path, slug) : slug;
    /* id_path needs the new id: insert, then fill it in */
    const char *id = INS(d,
                         "INSERT INTO categories (parent_id, slug, name, description, sort_order, "
                         "slug_path, id_path) VALUES ($1, $2, $3, $4, $5, $6, '') RETURNING id",
                         parent_id, slug, name, desc, num(d, order), *slug_path);
    *id_path = arena_printf(d->a, "%s%s/", parent_id_path ? parent_id_path : "/", id);
    if (!d->failed)
        db_q(d->c, d->a, NULL, "UPDATE categories SET id_path = $1 WHERE id = $2", *id_path, id);
    return id;
}

static const char *course(demo *d, const char *cat_id, const char *org_id, const char *name,
                          const char *summary, const char *desc)
{
    return INS(d,
               "INSERT INTO courses (category_id, maatwerk_org_id, slug, name, summary, "
               "description, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
               cat_id, org_id, slug_make(d->a, name), name, summary, desc, d->now);
}

static const char *event(demo *d, const char *course_id, const char *name, int in_days,
                         int length_days, const char *location, int capacity, long long price)
{
    return INS(d,
               "INSERT INTO events (course_id, name, starts_on, ends_on, start_time, end_time, "
               "location, capacity, price_cents, registration_deadline, created_at) "
               "VALUES ($1, $2, $3, $4, '09:00', '16:30', $5, $6, $7, $8, $9) RETURNING id",
               course_id, name, day(d, in_days), day(d, in_days + length_days), location,
               num(d, capacity), num(d, price), day(d, in_days - 7), d->now);
}

static const char *organisation(demo *d, const char *name, const char *street, const char *nr,
                                const char *postcode, const char *city, const char *phone,
                                const char *email, const char *kvk)
{
    return INS(d,
               "INSERT INTO organisations (name, visit_street, visit_house_number, "
               "visit_postcode, visit_city, postal_street, postal_house_number, postal_postcode, "
               "postal_city, phone, email, invoice_email, kvk_number, created_at, updated_at) "
               "VALUES ($1, $2, $3, $4, $5, $2, $3, $4, $5, $6, $7, $7, $8, $9, $9) RETURNING id",
               name, street, nr, postcode, city, phone, email, kvk, d->now);
}

typedef struct person_in {
    const char *first, *infix, *last, *email;
    const char *street, *nr, *postcode, *city, *phone, *birth;
    int login, staff;
} person_in;

/* Made like every person (people_find_or_create), then given what they
 * would have typed on Mijn gegevens and, for a login, an activated
 * password. */
static const char *person(demo *d, const person_in *p)
{
    if (d->failed) return "0";
    person_new pn = {p->first, p->infix, p->last, p->email, p->staff};
    person_found f;
    int rc = people_find_or_create(d->c, d->a, &pn, &f);
    const char *id = num(d, f.id);
    if (rc == 0 && !f.created) {
        snprintf(d->err, d->errlen, "demogegevens: %s staat er al", p->email);
        d->failed = 1;
    } else if (rc != 0 ||
               db_q(d->c, d->a, NULL,
                    "UPDATE persons SET street = $1, house_number = $2, postcode = $3, city = $4,"
                    " phone = $5, birth_date = $6, password_hash = $7, activated_at = $8"
                    " WHERE id = $9",
                    p->street, p->nr, p->postcode, p->city, p->phone, p->birth,
                    p->login ? d->hash : NULL, p->login ? d->now : NULL, id) != 1) {
        snprintf(d->err, d->errlen, "demogegevens: %s",
                 rc == -2 ? "ongeldig e-mailadres" : db_errmsg(d->c));
        d->failed = 1;
    }
    return d->failed ? "0" : id;
}

static void member(demo *d, const char *person_id, const char *org_id, const char *role,
                   const char *title, const char *dept, const char *phone, const char *email)
{
    /* the organisation knows its demo contacts by their own names */
    INS(d,
        "INSERT INTO memberships (person_id, organisation_id, role, job_title, department, "
        "work_phone, work_email, started_at, contact_first_name, contact_infix, "
        "contact_last_name, contact_email) SELECT p.id, o.id, $3, $4, $5, $6, $7, CAST($8 AS "
        "BIGINT), "
        "p.first_name, p.infix, p.last_name, p.email FROM persons p, organisations o "
        "WHERE p.id = $1 AND o.id = $2 RETURNING id",
        person_id, org_id, role, title, dept, phone, email, d->now);
}

typedef struct reg_in {
    const char *event_id, *person_id, *org_id;
    const char *status;
    int confirmed, invited, attended;
    const char *result;
} reg_in;

/* A registration that holds a seat also counts in events.seats_taken; it
 * costs the event's price, as an enrolment stores it. */
static const char *registration(demo *d, const reg_in *r)
{
    const char *id =
        INS(d,
            "INSERT INTO registrations (event_id, person_id, organisation_id, "
            "enrolled_by, status, confirmation_sent, invitation_sent, result, "
            "attended, created_at, processed_at, price_cents) VALUES ($1, $2, $3, $2, $4, $5, "
            "$6, $7, $8, $9, $10, (SELECT price_cents FROM events WHERE id = $1)) RETURNING id",
            r->event_id, r->person_id, r->org_id, r->status, r->confirmed ? "1" : "0",
            r->invited ? "1" : "0", r->result ? r->result : "", r->attended ? "1" : "0", d->now,
            strcmp(r->status, "verwerkt") == 0 ? d->now : NULL);
    if (!d->failed && strcmp(r->status, "geannuleerd") != 0 && strcmp(r->status, "wachtlijst") != 0)
        db_q(d->c, d->a, NULL, "UPDATE events SET seats_taken = seats_taken + 1 WHERE id = $1",
             r->event_id);
    return id;
}

/* A one-page PDF with a line of text, built by hand: the byte offsets in
 * the cross-reference table are computed, so the file is valid. */
static char *demo_pdf(arena *a, const char *text, size_t *len)
{
    buf b;
    buf_init(&b, a, 1024);
    size_t off[6];
    buf_puts(&b, "%PDF-1.4\n");
    off[1] = b.len;
    buf_puts(&b, "1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n");
    off[2] = b.len;
    buf_puts(&b, "2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n");
    off[3] = b.len;
    buf_puts(&b, "3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
                 "/Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >> endobj\n");
    char *stream = arena_printf(a, "BT /F1 16 Tf 72 760 Td (%s) Tj ET", text);
    off[4] = b.len;
    buf_printf(&b, "4 0 obj << /Length %zu >> stream\n%s\nendstream endobj\n", strlen(stream),
               stream);
    off[5] = b.len;
    buf_puts(&b, "5 0 obj << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> endobj\n");
    size_t xref = b.len;
    buf_puts(&b, "xref\n0 6\n0000000000 65535 f \n");
    for (int i = 1; i <= 5; i++)
        buf_printf(&b, "%010zu 00000 n \n", off[i]);
    buf_printf(&b, "trailer << /Size 6 /Root 1 0 R >>\nstartxref\n%zu\n%%%%EOF\n", xref);
    *len = b.len;
    return b.data;
}

static void message(demo *d, const char *person_id, const char *org_id, const char *subject,
                    const char *body, const char *staff_id, const char *pdf_name,
                    const char *pdf_text)
{
    const char *id = INS(d,
                         "INSERT INTO messages (person_id, organisation_id, subject, body, "
                         "created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
                         person_id, org_id, subject, body, staff_id, d->now);
    if (!pdf_name) return;
    size_t len;
    char *pdf = demo_pdf(d->a, pdf_text, &len);
    size_t b64len = sodium_base64_ENCODED_LEN(len, sodium_base64_VARIANT_ORIGINAL);
    char *b64 = arena_alloc(d->a, b64len);
    sodium_bin2base64(b64, b64len, (const unsigned char *)pdf, len, sodium_base64_VARIANT_ORIGINAL);
    INS(d,
        "INSERT INTO attachments (message_id, filename, content_type, size_bytes, data_base64) "
        "VALUES ($1, $2, 'application/pdf', $3, $4) RETURNING id",
        id, pdf_name, num(d, (long long)len), b64);
}

static const person_in colleagues[] = {
    {"Sanne", "", "Bakker", "sanne.bakker@example.nl", "Stationsplein", "4", "1703 WB",
     "Heerhugowaard", "072-5761234", "1988-04-12", 0, 0},
    {"Pieter", "van", "Dijk", "pieter.vandijk@example.nl", "Middenweg", "120", "1704 BK",
     "Heerhugowaard", "06-23456789", "1975-09-30", 0, 0},
    {"Kees", "", "Visser", "kees.visser@example.nl", "Loet", "8", "1741 BN", "Schagen",
     "06-34567890", "1969-01-05", 0, 0},
    {"Fatima", "El", "Amrani", "fatima.elamrani@example.nl", "Kievitstraat", "12", "1782 GA",
     "Den Helder", "06-45678901", "1992-11-23", 0, 0},
    {"Lars", "", "Jansen", "lars.jansen@example.nl", "Spoorstraat", "3", "1781 JA", "Den Helder",
     "06-11111111", "1990-02-01", 0, 0},
    {"Emma", "de", "Boer", "emma.deboer@example.nl", "Laan", "15", "1741 EA", "Schagen",
     "06-22222222", "1985-06-14", 0, 0},
    {"Noah", "", "Mulder", "noah.mulder@example.nl", "Dorpsstraat", "22", "1734 AA", "Oude Niedorp",
     "06-33333333", "1999-03-09", 0, 0},
    {"Sophie", "", "Smit", "sophie.smit@example.nl", "Westerdijk", "7", "1621 LE", "Hoorn",
     "06-44444444", "1982-12-24", 0, 0},
    {"Daan", "", "Meijer", "daan.meijer@example.nl", "Breestraat", "9", "1941 EE", "Beverwijk",
     "06-55555555", "1979-07-19", 0, 0},
    {"Julia", "", "Bos", "julia.bos@example.nl", "Keizerstraat", "31", "1781 GC", "Den Helder",
     "06-66666666", "1995-05-28", 0, 0},
    {"Thijs", "de", "Graaf", "thijs.degraaf@example.nl", "Nieuweweg", "2", "1621 BH", "Hoorn",
     "06-77777777", "1987-10-10", 0, 0},
    {"Lotte", "", "Kok", "lotte.kok@example.nl", "Kerkstraat", "5", "1791 AE", "Den Burg",
     "06-88888888", "1993-08-08", 0, 0},
};
#define NCOLLEAGUES (sizeof colleagues / sizeof colleagues[0])

static const char wie_zijn_wij[] =
    "De Onderwijsgroep Noordwest-Holland verzorgt beroepsopleidingen, cursussen en trainingen "
    "voor werkenden en werkgevers in de Kop van Noord-Holland en daarbuiten.\n\n"
    "Van licentieverlenging gewasbescherming tot maritieme STCW-trainingen en maatwerk voor "
    "uw organisatie: onze docenten komen uit de praktijk en onze locaties liggen dichtbij.\n\n"
    "## Maatwerk\n\nWilt u een cursus voor uw eigen medewerkers, op uw eigen locatie? Wij "
    "stellen graag een programma op maat samen. Neem contact op met de administratie.\n";

static const char contact_page[] =
    "U kunt de administratie bedrijfsopleidingen bereiken op werkdagen van 8.30 tot 17.00 uur. "
    "Bel of mail ons gerust: het telefoonnummer en het e-mailadres staan hieronder.\n\n"
    "Wilt u als organisatie toegang tot de Klantportal? Neem contact op met de administratie: "
    "zij brengen uw login voor u in orde.\n";

static void load_catalog_and_people(demo *d)
{
    const char *sp, *ip, *sp2, *ip2, *sp3, *ip3, *sp4, *ip4;
    /* Organisations */
    const char *herenbos =
        organisation(d, "Herenbos Schagen", "Herenweg", "12", "1741 NA", "Schagen", "0224-291100",
                     "info@herenbos.example.nl", "37012345");
    const char *roc =
        organisation(d, "ROC Kop van Noord-Holland", "Kievitstraat", "31", "1782 GA", "Den Helder",
                     "0223-611300", "info@rockopnh.example.nl", "41234567");
    const char *ghhw =
        organisation(d, "Gemeente Heerhugowaard", "Parelhoeve", "15", "1702 AP", "Heerhugowaard",
                     "072-5756800", "gemeente@heerhugowaard.example.nl", "50123456");

    /* Catalog */
    const char *ct = category(d, NULL, NULL, NULL, "Cursussen & Trainingen",
                              "Alle open inschrijvingen van de Onderwijsgroep.", 1, &sp, &ip);
    const char *agro = category(d, ct, sp, ip, "Agro & Groen",
                                "Cursussen voor de agrarische sector en het groen.", 1, &sp2, &ip2);
    const char *lvg = category(d, agro, sp2, ip2, "Licentieverlengingen Gewasbescherming",
                               "Bijeenkomsten die meetellen voor de verlenging van uw "
                               "spuitlicentie.",
                               1, &sp3, &ip3);
    const char *c_lv = course(d, lvg, NULL, "Licentieverlenging Gewasbescherming",
                              "Kennisbijeenkomsten voor het verlengen van uw licentie.",
                              "Elke bijeenkomst telt als één kennisbijeenkomst voor de "
                              "verlenging van uw **licentie gewasbescherming**.\n\n"
                              "Neem uw pasnummer mee.");
    event(d, c_lv, "LV Optimaal bespuiten (VT)", 30, 0, "Schagen - Herenweg 12", 12, 9500);
    const char *e_lv2 =
        event(d, c_lv, "LV Bodem en gewas (VT)", 58, 0, "Hoorn - Holenweg 5", 16, 9500);
    const char *mar =
        category(d, ct, sp, ip, "Maritiem",
                 "STCW-trainingen en opleidingen voor de koopvaardij en visserij.", 2, &sp4, &ip4);
    const char *c_mc = course(d, mar, NULL, "Medical Care (STCW)",
                              "De STCW-opleiding Medical Care voor officieren.",
                              "Vijfdaagse opleiding volgens STCW A-VI/4-2.");
    const char *e_mc1 =
        event(d, c_mc, "Medical Care (STCW)", 21, 4, "Den Helder - Kievitstraat 31", 12, 189500);
    const char *e_mc2 =
        event(d, c_mc, "Medical Care (STCW)", 49, 4, "Den Helder - Kievitstraat 31", 8, 189500);
    const char *e_mc0 =
        event(d, c_mc, "Medical Care (STCW)", -320, 4, "Den Helder - Kievitstraat 31", 12, 189500);
    /* a professional training: exempt from VAT, so the invoices show both rates */
    if (!d->failed) db_q(d->c, d->a, NULL, "UPDATE courses SET vat_rate = 0 WHERE id = $1", c_mc);
    const char *e_lv0 = event(d, c_lv, "LV Gewasbescherming in de praktijk (VT)", -330, 0,
                              "Schagen - Herenweg 12", 12, 9500);
    const char *c_bs = course(d, mar, NULL, "Basic Safety (STCW)",
                              "Basisveiligheid aan boord: brand, overleven op zee, EHBO.", "");
    event(d, c_bs, "Basic Safety (STCW)", 35, 4, "Den Helder - Kievitstraat 31", 14, 145000);
    const char *sp5, *ip5;
    const char *ev =
        category(d, ct, sp, ip, "Evenementen", "Bijeenkomsten en open dagen.", 3, &sp5, &ip5);
    const char *c_ev = course(d, ev, NULL, "Test evenement ROC Kop van Noord-Holland",
                              "Een bijeenkomst op het ROC.", "");
    const char *e_ev0 = event(d, c_ev, "Test evenement ROC Kop van Noord-Holland (test)", -60, 0,
                              "Den Helder - Kievitstraat 31", 40, 0);

    /* Maatwerk: bought by one organisation, seen only by its beheerders */
    const char *c_mw_gh = course(d, NULL, ghhw, "Maatwerk cursussen Gemeente Heerhugowaard",
                                 "Cursussen op maat voor Gemeente Heerhugowaard.", "");
    const char *e_mw_gh =
        event(d, c_mw_gh, "LV Bedreigingen openbaar groen - gemeente Heerhugowaard", 24, 0,
              "Incompany", 15, 12500);
    const char *c_mw_hb = course(d, NULL, herenbos, "Maatwerk cursussen Herenbos",
                                 "Cursussen op maat voor Herenbos Schagen.", "");
    const char *e_mw_hb = event(d, c_mw_hb, "2e testcursus", 40, 0, "Incompany", 10, 0);

    /* People */
    static const person_in martin = {
        "Martin",         "",           "Sommer",  "martin.sommer@example.nl",
        "Bernhardstraat", "8",          "1781 JK", "Den Helder",
        "0223-612345",    "1980-05-17", 1,         0};
    static const person_in deby = {"Deby",
                                   "",
                                   "Rummens - Heijnen",
                                   "deby.rummens@example.nl",
                                   "Molenweg",
                                   "14",
                                   "1741 BC",
                                   "Schagen",
                                   "06-12345678",
                                   "1977-03-02",
                                   1,
                                   0};
    static const person_in jan = {"Jan",         "de",         "Vries",   "jan.devries@example.nl",
                                  "Zuidtangent", "40",         "1701 AB", "Heerhugowaard",
                                  "06-98765432", "1984-09-21", 1,         0};
    static const person_in admin = {"Administratie",
                                    "",
                                    "Onderwijsgroep",
                                    "administratie@example.nl",
                                    "",
                                    "",
                                    "",
                                    "",
                                    "0223-611310",
                                    NULL,
                                    1,
                                    1};
    const char *p_martin = person(d, &martin);
    const char *p_deby = person(d, &deby);
    const char *p_jan = person(d, &jan);
    const char *p_admin = person(d, &admin);
    const char *col[NCOLLEAGUES];
    for (size_t i = 0; i < NCOLLEAGUES; i++)
        col[i] = person(d, &colleagues[i]);

    member(d, p_deby, herenbos, "beheerder", "HR-adviseur", "Personeelszaken", "0224-291122",
           "d.rummens@herenbos.example.nl");
    member(d, p_deby, roc, "medewerker", "Docent", "Maritiem", "0223-611322",
           "d.rummens@rockopnh.example.nl");
    member(d, p_deby, ghhw, "beheerder", "Opleidingscoördinator", "P&O", "072-5756811",
           "d.rummens@heerhugowaard.example.nl");
    member(d, p_jan, ghhw, "medewerker", "Medewerker groenbeheer", "Openbare ruimte", "072-5756842",
           "j.devries@heerhugowaard.example.nl");
    member(d, col[0], ghhw, "medewerker", "Beleidsmedewerker", "Openbare ruimte", "072-5756833",
           "s.bakker@heerhugowaard.example.nl");
    member(d, col[1], ghhw, "medewerker", "Uitvoerder", "Openbare ruimte", "", "");
    member(d, col[2], herenbos, "medewerker", "Bedrijfsleider", "Teelt", "0224-291133", "");
    member(d, col[3], roc, "beheerder", "Coördinator bedrijfsopleidingen", "Bedrijfsopleidingen",
           "0223-611344", "f.elamrani@rockopnh.example.nl");

    /* Martin: one course done, one coming up (and invoices for both) */
    d->inv.martin_done =
        registration(d, &(reg_in){e_mc0, p_martin, NULL, "verwerkt", 1, 1, 1, "Afgerond"});
    d->inv.martin_next =
        registration(d, &(reg_in){e_lv2, p_martin, NULL, "verwerkt", 1, 0, 0, NULL});
    d->inv.staff = p_admin;
    d->inv.maatwerk_gh = e_mw_gh;
    /* a past session paid by Deby herself and by Gemeente Heerhugowaard
     * (with the purchase-order number its beheerder typed) */
    d->inv.past_lv = e_lv0;
    registration(d, &(reg_in){e_lv0, p_deby, NULL, "verwerkt", 1, 1, 1, "Afgerond"});
    const char *r_s =
        registration(d, &(reg_in){e_lv0, col[0], ghhw, "verwerkt", 1, 1, 1, "Afgerond"});
    if (!d->failed)
        db_q(d->c, d->a, NULL, "UPDATE registrations SET reference = $1 WHERE id = $2",
             "INK-2026-0142", r_s);

    /* Deby, as in the manual's overview */
    registration(d, &(reg_in){e_mw_hb, p_deby, herenbos, "verwerkt", 0, 0, 0, NULL});
    registration(d, &(reg_in){e_mc0, p_deby, roc, "verwerkt", 0, 0, 0, NULL});
    registration(d, &(reg_in){e_ev0, p_deby, roc, "verwerkt", 1, 0, 1, "Afgerond"});
    registration(d, &(reg_in){e_mw_gh, p_jan, ghhw, "verwerkt", 1, 0, 0, NULL});
    d->inv.herenbos_reg =
        registration(d, &(reg_in){e_lv2, col[2], herenbos, "verwerkt", 1, 0, 0, NULL});

    /* Fill Medical Care: the first event keeps 1 place, the second is full */
    for (size_t i = 0; i < 11; i++)
        registration(d, &(reg_in){e_mc1, col[i], NULL, "verwerkt", 1, 0, 0, NULL});
    for (size_t i = 4; i < NCOLLEAGUES; i++)
        registration(d, &(reg_in){e_mc2, col[i], NULL, "verwerkt", 1, 0, 0, NULL});
    /* two in line for the full one (a waiting-list place holds no seat) */
    registration(d, &(reg_in){e_mc2, col[2], NULL, "wachtlijst", 0, 0, 0, NULL});
    registration(d, &(reg_in){e_mc2, col[3], NULL, "wachtlijst", 0, 0, 0, NULL});

    /* a course that has begun was booked, and processed, before it began
     * (30 and 29 days, at nine), not today */
    const char *start = db_date_seconds(d->c, d->a, "e.starts_on");
    const char *moment =
        arena_printf(d->a, "(SELECT %s FROM events e WHERE e.id = registrations.event_id)", start);
    if (!d->failed &&
        db_q(d->c, d->a, NULL,
             arena_printf(d->a,
                          "UPDATE registrations SET created_at = %s - 30 * 86400 + 32400, "
                          "processed_at = CASE WHEN processed_at IS NULL THEN NULL "
                          "ELSE %s - 29 * 86400 + 32400 END "
                          "WHERE event_id IN (SELECT id FROM events WHERE starts_on < $1)",
                          moment, moment),
             day(d, 0)) < 0) {
        snprintf(d->err, d->errlen, "demogegevens: %s", db_errmsg(d->c));
        d->failed = 1;
    }

    message(d, p_martin, NULL, "Certificaat Medical Care (STCW)",
            "Beste Martin,\n\nGefeliciteerd met het afronden van **Medical Care (STCW)**. In de "
            "bijlage vindt u uw certificaat.\n\nMet vriendelijke groet,\nAdministratie "
            "bedrijfsopleidingen",
            p_admin, "certificaat-medical-care.pdf", "Certificaat Medical Care (STCW) - M. Sommer");
    message(d, NULL, ghhw, "Offerte maatwerk 2027",
            "Hierbij de offerte voor de maatwerkcursussen van volgend jaar.", p_admin, NULL, NULL);

    INS(d,
        "INSERT INTO news (slug, title, summary, body, published_on, created_at) VALUES ($1, $2, "
        "$3, $4, $5, $6) RETURNING id",
        "nieuwe-data-licentieverlenging", "Nieuwe data licentieverlenging gewasbescherming",
        "De kennisbijeenkomsten voor het komende seizoen staan in de cursusagenda.",
        "De nieuwe kennisbijeenkomsten voor de **licentieverlenging gewasbescherming** staan in "
        "de [cursusagenda](/cursusagenda). Schrijf u op tijd in: de plaatsen zijn beperkt.",
        day(d, -3), d->now);
    INS(d,
        "INSERT INTO news (slug, title, summary, body, published_on, created_at) VALUES ($1, $2, "
        "$3, $4, $5, $6) RETURNING id",
        "klantportal-vernieuwd", "De Klantportal is vernieuwd",
        "Beheer uw gegevens, inschrijvingen en facturen voortaan op één plek.",
        "Via **Mijn Onderwijsgroep** ziet u uw cursussen, facturen en uw digitaal dossier. "
        "Organisaties schrijven hun medewerkers direct in.",
        day(d, -20), d->now);
    INS(d,
        "INSERT INTO pages (slug, title, body, updated_at) VALUES ($1, $2, $3, $4) "
        "RETURNING slug",
        "wie-zijn-wij", "Wie zijn wij", wie_zijn_wij, d->now);
    INS(d,
        "INSERT INTO pages (slug, title, body, updated_at) VALUES ($1, $2, $3, $4) "
        "RETURNING slug",
        "contact", "Contact", contact_page, d->now);
}

/* One invoice run dated `offset` days from today, through the store as
 * staff would; each made invoice is marked paid `paid_after` days later
 * (0: left open). */
static void issue(demo *d, const inv_select *sel, int offset, int paid_after)
{
    const char **numbers = NULL;
    int n = 0;
    inv_actor staff = {strtoll(d->inv.staff, NULL, 10), NULL};
    if (d->failed) return;
    if (inv_issue(d->c, d->a, sel, &staff, day(d, offset), &numbers, &n) != 0 || n == 0) {
        snprintf(d->err, d->errlen, "demofacturen: %s", n ? db_errmsg(d->c) : "niets gefactureerd");
        d->failed = 1;
        return;
    }
    for (int i = 0; paid_after && i < n && !d->failed; i++)
        if (inv_mark_paid(d->c, d->a, numbers[i], day(d, offset + paid_after), &staff) != 0) {
            snprintf(d->err, d->errlen, "demofacturen: %s niet betaald", numbers[i]);
            d->failed = 1;
        }
}

static long long id_of(const char *s)
{
    return strtoll(s, NULL, 10);
}

/* The demo's invoices, made by the store from the committed registrations
 * (issuing is a transaction of its own), oldest first so the numbers follow
 * the dates: Deby's own and the municipality's session paid, Martin's
 * exempt course paid, Herenbos paid, Martin's next course open and the
 * municipality's maatwerk open. Their mails were sent long ago: the queued
 * mail jobs are dropped. */
static void issue_invoices(demo *d)
{
    issue(d, &(inv_select){.event_id = id_of(d->inv.past_lv)}, -328, 12);
    issue(d, &(inv_select){.registration_id = id_of(d->inv.martin_done)}, -318, 14);
    issue(d, &(inv_select){.registration_id = id_of(d->inv.herenbos_reg)}, -40, 12);
    issue(d, &(inv_select){.registration_id = id_of(d->inv.martin_next)}, -5, 0);
    const char *number = NULL, *why = NULL;
    inv_actor staff = {id_of(d->inv.staff), NULL};
    if (!d->failed &&
        inv_issue_event(d->c, d->a, id_of(d->inv.maatwerk_gh),
                        "LV Bedreigingen openbaar groen - gemeente Heerhugowaard, incompany voor "
                        "15 deelnemers",
                        150000, 21, &staff, day(d, -3), &number, &why) != 0) {
        snprintf(d->err, d->errlen, "demofacturen: %s", why ? why : db_errmsg(d->c));
        d->failed = 1;
    }
    if (!d->failed && db_q(d->c, d->a, NULL, "DELETE FROM jobs WHERE kind = $1 AND done_at IS NULL",
                           INV_MAIL_JOB) < 0) {
        snprintf(d->err, d->errlen, "demofacturen: %s", db_errmsg(d->c));
        d->failed = 1;
    }
}

int demo_load(db *dbh, char *err, size_t errlen)
{
    arena *a = arena_new(65536);
    db_conn *c = db_acquire(dbh);
    demo d = {.c = c, .a = a, .err = err, .errlen = errlen};
    err[0] = '\0';
    d.now = arena_printf(a, "%lld", (long long)clock_now());
    char hash[PASSWORD_HASH_MAX];
    int rc = -1;
    db_res *r = NULL;
    if (sodium_init() < 0 || password_hash(DEMO_PASSWORD, hash) != 0) {
        snprintf(err, errlen, "kan wachtwoord niet versleutelen");
    } else if (db_query(c, a, &r,
                        "SELECT (SELECT count(*) FROM persons) + (SELECT count(*) FROM "
                        "categories) AS n",
                        0, NULL) < 0) {
        snprintf(err, errlen, "%s", db_errmsg(c));
    } else if (db_int(r, 0, "n") > 0) {
        snprintf(err, errlen, "de database is niet leeg; demogegevens alleen in een lege database");
    } else if (db_begin(c) != 0) {
        snprintf(err, errlen, "%s", db_errmsg(c));
    } else {
        d.hash = hash;
        load_catalog_and_people(&d);
        if (d.failed)
            db_rollback(c);
        else if (db_commit(c) != 0)
            snprintf(err, errlen, "%s", db_errmsg(c));
        else
            issue_invoices(&d);
        rc = d.failed || *err ? -1 : 0;
    }
    db_release(dbh, c);
    arena_free(a);
    return rc;
}
