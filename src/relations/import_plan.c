/* import_plan.c - what each row of an import would do: the person found by
 * address or made, the organisation found by KvK number or name or made,
 * the membership made or found, the activation mail; and the rows refused
 * for what the file or the database holds. Reads only. */
#include <string.h>

#include "auth/token.h"
#include "core/buf.h"
#include "relations/import_internal.h"

/* ------------------------------------------------------------- planning */

typedef struct planner {
    arena *a;
    imp_plan *p;
    int send_mails;
    const imp_known *k;
    imp_map persons, org_names, org_kvks, members; /* in the file: the first row of each */
} planner;

static int same_name(const imp_row *x, const char *first, const char *infix, const char *last)
{
    return strcmp(x->v[C_FIRST], first) == 0 && strcmp(x->v[C_INFIX], infix) == 0 &&
           strcmp(x->v[C_LAST], last) == 0;
}

/* The person of row i: found earlier in the file, in the database, or new. */
static void plan_person(planner *pl, size_t i)
{
    imp_row *r = &pl->p->rows[i];
    size_t j;
    if (imp_map_get(&pl->persons, r->v[C_EMAIL], &j, NULL)) {
        const imp_row *f = &pl->p->rows[j];
        if (!same_name(r, f->v[C_FIRST], f->v[C_INFIX], f->v[C_LAST]))
            r->refused = arena_printf(pl->a, "zelfde e-mailadres als regel %d, met een andere naam",
                                      f->line);
        r->person_id = f->person_id;
        r->person_row = f->person_row;
        return;
    }
    r->person_row = i;
    if (!imp_map_get(&pl->k->persons, r->v[C_EMAIL], &j, NULL)) {
        r->mail = pl->send_mails;
        return;
    }
    const imp_person *p = &pl->k->person[j];
    if (p->staff) {
        r->refused = "dit e-mailadres hoort bij een account van de administratie";
        return;
    }
    r->person_id = p->id;
    if (!same_name(r, p->first, p->infix, p->last))
        r->person_note = "de naam in het portaal is anders en blijft zoals hij is";
    r->mail = pl->send_mails && !p->login && !p->blocked;
}

/* An organisation in the database by KvK number (or, lacking one, name). */
static void org_in_db(planner *pl, imp_row *r, size_t i)
{
    const char *name = r->v[C_ORG], *kvk = r->v[C_KVK];
    size_t at;
    int n = 0;
    const imp_org *o = NULL;
    if (*kvk ? imp_map_get(&pl->k->kvks, kvk, &at, &n) : imp_map_get(&pl->k->names, name, &at, &n))
        o = *kvk ? &pl->k->kvk_org[at] : &pl->k->name_org[at];
    if (n > 1) {
        r->refused = *kvk ? arena_printf(pl->a,
                                         "meer dan één organisatie in het portaal heeft KvK-nummer "
                                         "%s",
                                         kvk)
                          : arena_printf(pl->a,
                                         "meer dan één organisatie in het portaal heet \"%s\"; vul "
                                         "het KvK-nummer in",
                                         name);
        return;
    }
    if (o) {
        r->org = IMP_ORG_EXISTING;
        r->org_id = o->id;
        r->org_by_kvk = *kvk != '\0';
        if (strcmp(o->name, name) != 0)
            r->org_note =
                arena_printf(pl->a, "in het portaal heet deze organisatie \"%s\"", o->name);
        return;
    }
    /* a new number for a name we know would make a twin */
    if (*kvk && imp_map_get(&pl->k->names, name, NULL, NULL)) {
        r->refused = arena_printf(pl->a,
                                  "er staat al een organisatie \"%s\" in het portaal, met een "
                                  "ander of geen KvK-nummer",
                                  name);
        return;
    }
    r->org = IMP_ORG_NEW;
    r->org_row = i;
}

/* The organisation of row i: in the file a name always goes with the same
 * KvK number (or always none), and a number with the same name. */
static void plan_org(planner *pl, size_t i)
{
    imp_row *r = &pl->p->rows[i];
    const char *name = r->v[C_ORG], *kvk = r->v[C_KVK];
    if (!*name) return;
    size_t j;
    if (imp_map_get(&pl->org_names, name, &j, NULL)) {
        const imp_row *f = &pl->p->rows[j];
        if (strcmp(f->v[C_KVK], kvk) != 0) {
            r->refused =
                arena_printf(pl->a, "organisatie \"%s\" staat op regel %d %s%s", name, f->line,
                             *f->v[C_KVK] ? "met KvK-nummer " : "zonder KvK-nummer", f->v[C_KVK]);
            return;
        }
        r->org = f->org;
        r->org_id = f->org_id;
        r->org_row = f->org_row;
        r->org_by_kvk = f->org_by_kvk;
        return;
    }
    if (*kvk && imp_map_get(&pl->org_kvks, kvk, &j, NULL)) {
        const imp_row *f = &pl->p->rows[j];
        r->refused = arena_printf(pl->a, "KvK-nummer %s staat op regel %d bij organisatie \"%s\"",
                                  kvk, f->line, f->v[C_ORG]);
        return;
    }
    org_in_db(pl, r, i);
}

/* The membership of row i, and a row that repeats an earlier one: the
 * same address with the same organisation, however the file names it (a
 * KvK number on one row, the portal's name on another). */
static void plan_member(planner *pl, size_t i, const char **key)
{
    imp_row *r = &pl->p->rows[i];
    const char *org = r->org == IMP_ORG_EXISTING ? arena_printf(pl->a, "id %lld", r->org_id)
                      : r->org == IMP_ORG_NEW    ? arena_printf(pl->a, "rij %zu", r->org_row)
                                                 : "";
    *key = arena_printf(pl->a, "%s\x1f%s", r->v[C_EMAIL], org);
    size_t j;
    if (imp_map_get(&pl->members, *key, &j, NULL)) {
        r->refused = arena_printf(pl->a, "dubbel in het bestand: zelfde persoon%s als regel %d",
                                  r->org ? " en organisatie" : "", pl->p->rows[j].line);
        return;
    }
    if (!r->org) return;
    r->member = IMP_MEMBER_NEW;
    if (!r->person_id || r->org != IMP_ORG_EXISTING) return;
    if (imp_map_get(&pl->k->members, imp_member_key(pl->a, r->person_id, r->org_id), &j, NULL)) {
        r->member = pl->k->member[j].active ? IMP_MEMBER_ACTIVE : IMP_MEMBER_ENDED;
        r->member_role = pl->k->member[j].role;
    }
}

/* Row i passed: later rows find its person, organisation and membership. */
static void accept(planner *pl, size_t i, const char *member_key)
{
    imp_plan *p = pl->p;
    imp_row *r = &p->rows[i];
    p->accepted++;
    if (imp_map_add(&pl->persons, r->v[C_EMAIL], i)) {
        if (r->person_id)
            p->persons_existing++;
        else
            p->persons_new++;
        if (r->mail) p->mails++;
    } else {
        r->mail = 0;
    }
    if (r->org && imp_map_add(&pl->org_names, r->v[C_ORG], i)) {
        if (*r->v[C_KVK]) imp_map_add(&pl->org_kvks, r->v[C_KVK], i);
        if (r->org == IMP_ORG_NEW) p->orgs_new++;
    }
    imp_map_add(&pl->members, member_key, i);
    if (r->member == IMP_MEMBER_NEW || r->member == IMP_MEMBER_ENDED) p->members_new++;
}

/* What the rows would do, as text: the same file planned against the same
 * database gives the same digest. */
static const char *digest(arena *a, const imp_plan *p, int send_mails)
{
    buf b;
    buf_init(&b, a, 64 * p->n + 64);
    buf_printf(&b, "mails=%d\n", send_mails);
    for (size_t i = 0; i < p->n; i++) {
        const imp_row *r = &p->rows[i];
        if (r->refused) {
            buf_printf(&b, "%d -\n", r->line);
            continue;
        }
        buf_printf(&b, "%d p=%lld/%zu o=%d:%lld/%zu m=%d mail=%d", r->line, r->person_id,
                   r->person_row, r->org, r->org_id, r->org_row, r->member, r->mail);
        for (int c = 0; c < N_COLS; c++)
            buf_printf(&b, "\x1f%s", r->v[c]);
        buf_putc(&b, '\n');
    }
    return token_hash(a, b.data);
}

int imp_plan_make(db_conn *c, arena *a, const csvr_table *t, const imp_header *h, int send_mails,
                  imp_plan *out)
{
    memset(out, 0, sizeof *out);
    out->n = t->nrows;
    out->rows = arena_zalloc(a, (t->nrows ? t->nrows : 1) * sizeof *out->rows);
    for (size_t i = 0; i < t->nrows; i++)
        imp_check_row(a, h, &t->rows[i], &out->rows[i]);
    imp_known k;
    if (imp_known_read(c, a, out->rows, out->n, &k) != 0) return -1;
    planner pl = {.a = a, .p = out, .send_mails = send_mails, .k = &k};
    imp_map_init(a, &pl.persons, t->nrows);
    imp_map_init(a, &pl.org_names, t->nrows);
    imp_map_init(a, &pl.org_kvks, t->nrows);
    imp_map_init(a, &pl.members, t->nrows);
    for (size_t i = 0; i < t->nrows; i++) {
        imp_row *r = &out->rows[i];
        const char *key = NULL;
        if (!r->refused) plan_person(&pl, i);
        if (!r->refused) plan_org(&pl, i);
        if (!r->refused) plan_member(&pl, i, &key);
        if (r->refused)
            out->refused++;
        else
            accept(&pl, i, key);
    }
    out->digest = digest(a, out, send_mails);
    return 0;
}

const char *imp_load_plan(db_conn *c, arena *a, const char *content, size_t len, int send_mails,
                          csvr_table *t, imp_header *h, imp_plan *p, int *dberr)
{
    *dberr = 0;
    const char *err = csvr_read(a, content, len, &imp_limits, t);
    if (!err) err = imp_header_read(a, &t->header, h);
    if (err) return err;
    if (imp_plan_make(c, a, t, h, send_mails, p) != 0) *dberr = 1;
    return NULL;
}
