/* import_write.c - Importeren: in one transaction, the plan made again from
 * the stored file and compared with the one the preview showed, then every
 * accepted row written with its audit line and, when chosen, the
 * activation mails of the accounts' own kind. */
#include <string.h>

#include "account/account.h"
#include "auth/audit.h"
#include "core/timeutil.h"
#include "people/people.h"
#include "relations/import_internal.h"

typedef struct writer {
    db_conn *c;
    arena *a;
    imp_run *run;
    long long *person_ids, *org_ids; /* what the row that makes them made */
    const char *now;
} writer;

static const char *id_text(arena *a, long long id)
{
    return arena_printf(a, "%lld", id);
}

static void audit_start(writer *w, audit_entry *e, const imp_row *r, const char *action,
                        const char *subject)
{
    audit_begin(e, w->a, w->run->staff_id, w->run->client_ip, action, subject);
    e->detail = arena_printf(w->a, "import %s, regel %d", w->run->st.file_name, r->line);
}

static const char *full_name(writer *w, const imp_row *r)
{
    return people_full_name(w->a, r->v[C_FIRST], r->v[C_INFIX], r->v[C_LAST]);
}

/* The person of row i: made here (the first row with a new address, its
 * fields going to the row's line e), or the one an earlier row made or the
 * plan found. 0, IMP_CHANGED or -1. */
static int person_of(writer *w, size_t i, audit_entry *e, long long *id)
{
    const imp_row *r = &w->run->plan.rows[i];
    if (r->person_id) {
        *id = r->person_id;
        return 0;
    }
    if (r->person_row != i) {
        *id = w->person_ids[r->person_row];
        return 0;
    }
    person_found f;
    person_new p = {r->v[C_FIRST], r->v[C_INFIX], r->v[C_LAST], r->v[C_EMAIL], 0};
    if (people_find_or_create(w->c, w->a, &p, &f) != 0) return -1;
    if (!f.created) return IMP_CHANGED; /* someone made this address meanwhile */
    *id = w->person_ids[i] = f.id;
    audit_field(e, "voornaam", "", r->v[C_FIRST]);
    audit_field(e, "tussenvoegsel", "", r->v[C_INFIX]);
    audit_field(e, "achternaam", "", r->v[C_LAST]);
    audit_field(e, "e-mailadres", "", r->v[C_EMAIL]);
    return 0;
}

/* The organisation of row i, made here (with a line of its own) or found;
 * 0 when none. */
static int org_of(writer *w, size_t i, long long *id)
{
    const imp_row *r = &w->run->plan.rows[i];
    *id = 0;
    if (r->org == IMP_ORG_EXISTING) *id = r->org_id;
    if (r->org == IMP_ORG_NEW && r->org_row != i) *id = w->org_ids[r->org_row];
    if (r->org != IMP_ORG_NEW || r->org_row != i) return 0;
    db_res *o;
    if (db_q(w->c, w->a, &o,
             "INSERT INTO organisations (name, kvk_number, created_at, updated_at)"
             " VALUES ($1, $2, $3, $3) RETURNING id",
             r->v[C_ORG], r->v[C_KVK], w->now) != 1)
        return -1;
    *id = w->org_ids[i] = db_int(o, 0, "id");
    audit_entry e;
    audit_start(w, &e, r, "organisatie_aangemaakt", r->v[C_ORG]);
    e.org_id = *id;
    audit_field(&e, "naam", "", r->v[C_ORG]);
    audit_field(&e, "kvk-nummer", "", r->v[C_KVK]);
    return audit_write(w->c, w->a, &e);
}

/* A new membership, or an ended one active again; the organisation knows
 * the contact by the name and address in the file. */
static int member(writer *w, const imp_row *r, long long pid, long long oid, audit_entry *e)
{
    const char *p = id_text(w->a, pid), *o = id_text(w->a, oid);
    int back = r->member == IMP_MEMBER_ENDED;
    int n = db_q(
        w->c, w->a, NULL,
        back ? "UPDATE memberships SET role = $3, job_title = $4, active = 1, started_at = $5,"
               " ended_at = NULL, contact_first_name = $6, contact_infix = $7,"
               " contact_last_name = $8, contact_email = $9"
               " WHERE person_id = $1 AND organisation_id = $2 AND active = 0"
             : "INSERT INTO memberships (person_id, organisation_id, role, job_title, started_at,"
               " contact_first_name, contact_infix, contact_last_name, contact_email)"
               " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT DO NOTHING",
        p, o, r->v[C_ROLE], r->v[C_TITLE], w->now, r->v[C_FIRST], r->v[C_INFIX], r->v[C_LAST],
        r->v[C_EMAIL]);
    if (n < 0) return -1;
    if (n != 1) return IMP_CHANGED;
    audit_field(e, "lidmaatschap", back ? "beëindigd" : "", "actief");
    audit_field(e, "rol", back ? r->member_role : "", r->v[C_ROLE]);
    audit_field(e, "functie", "", r->v[C_TITLE]);
    return 0;
}

/* Row i written, and its one audit line: the person and organisation it
 * concerns, with what it made of them (nothing: no line). */
static int write_row(writer *w, size_t i)
{
    const imp_row *r = &w->run->plan.rows[i];
    const char *name = full_name(w, r);
    audit_entry e;
    audit_start(w, &e, r, "import_regel",
                r->org ? arena_printf(w->a, "%s - %s", name, r->v[C_ORG]) : name);
    long long pid, oid;
    int rc = person_of(w, i, &e, &pid);
    if (rc == 0) rc = org_of(w, i, &oid);
    if (rc == 0 && (r->member == IMP_MEMBER_NEW || r->member == IMP_MEMBER_ENDED))
        rc = member(w, r, pid, oid, &e);
    if (rc != 0) return rc;
    if (r->mail) {
        if (!account_send_link(w->c, w->a, w->run->app, pid, "activatie")) return -1;
        audit_field(&e, "activatiemail", "", "verstuurd");
    }
    if (!e.nchanges) return 0;
    e.person_id = pid;
    e.org_id = oid;
    return audit_write(w->c, w->a, &e);
}

/* The summary line, and the upload marked done with its file emptied. */
static int finish(writer *w)
{
    imp_run *run = w->run;
    const imp_plan *p = &run->plan;
    audit_entry e;
    audit_begin(&e, w->a, run->staff_id, run->client_ip, "import_uitgevoerd", run->st.file_name);
    e.detail = arena_printf(w->a,
                            "%zu regels geïmporteerd, %zu geweigerd: %zu nieuwe personen, %zu "
                            "nieuwe organisaties, %zu lidmaatschappen, %zu activatiemails",
                            p->accepted, p->refused, p->persons_new, p->orgs_new, p->members_new,
                            p->mails);
    if (audit_write(w->c, w->a, &e) != 0) return -1;
    const char *params[] = {w->now,
                            id_text(w->a, (long long)p->persons_new),
                            id_text(w->a, (long long)p->orgs_new),
                            id_text(w->a, (long long)p->members_new),
                            id_text(w->a, (long long)p->mails),
                            id_text(w->a, run->st.id),
                            ""};
    const size_t lens[] = {DB_TEXT, DB_TEXT, DB_TEXT, DB_TEXT, DB_TEXT, DB_TEXT, 0};
    int n = db_query_bin(w->c, w->a, NULL,
                         "UPDATE imports SET done_at = $1, persons_created = $2, orgs_created = $3,"
                         " memberships_created = $4, mails_queued = $5, content = $7"
                         " WHERE id = $6 AND done_at IS NULL",
                         7, params, lens);
    if (n < 0) return -1;
    if (n != 1) return IMP_DONE;
    run->st.persons = (long long)p->persons_new;
    run->st.orgs = (long long)p->orgs_new;
    run->st.members = (long long)p->members_new;
    run->st.mails = (long long)p->mails;
    return 0;
}

int imp_execute(db_conn *c, arena *a, void *arg)
{
    imp_run *run = arg;
    /* one import at a time: two files making the same organisation at
     * once would each find it missing */
    if (db_lock(c, a, "import") != 0) return -1;
    int found = imp_find(c, a, run->key, run->staff_id, &run->st);
    if (found <= 0) return found < 0 ? -1 : IMP_GONE;
    if (run->st.done) return IMP_DONE;
    long long now = (long long)clock_now();
    if (now - run->st.created_at > IMP_LIFETIME) return IMP_EXPIRED;
    csvr_table t;
    imp_header h;
    int dberr;
    if (imp_load_plan(c, a, run->st.content, run->st.len, run->st.send_mails, &t, &h, &run->plan,
                      &dberr))
        return IMP_UNREADABLE;
    if (dberr) return -1;
    if (!run->digest || strcmp(run->digest, run->plan.digest) != 0) return IMP_CHANGED;
    if (!run->plan.accepted) return IMP_NOTHING;
    size_t n = run->plan.n;
    writer w = {c,
                a,
                run,
                arena_zalloc(a, n * sizeof(long long)),
                arena_zalloc(a, n * sizeof(long long)),
                arena_printf(a, "%lld", now)};
    for (size_t i = 0; i < n; i++) {
        if (run->plan.rows[i].refused) continue;
        int rc = write_row(&w, i);
        if (rc != 0) return rc;
    }
    return finish(&w);
}
