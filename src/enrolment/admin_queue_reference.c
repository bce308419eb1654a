/* admin_queue_reference.c - Referentie / inkoopnummer on a registration's
 * page: staff may correct what was typed at enrolment until the invoice
 * exists. The invoice copies the reference when it is issued, so a later
 * change would make the registration disagree with its invoice: the UPDATE
 * itself refuses once an invoice line names the registration, in the same
 * statement, so an invoice issued a moment earlier is never contradicted. */
#include <string.h>

#include "auth/audit.h"
#include "auth/session.h"
#include "enrolment/admin_queue.h"
#include "web/flash.h"
#include "web/page.h"

typedef struct ref_tx {
    const char *id, *value, *client_ip;
    long long actor;
} ref_tx;

enum { REF_GONE = 1, REF_INVOICED };

static int reference_unit(db_conn *c, arena *a, void *arg)
{
    const ref_tx *t = arg;
    db_res *r = NULL;
    /* after an invoicing run that read the old reference, never beside it */
    if (db_lock(c, a, "facturen") != 0) return -1;
    if (db_q(c, a, &r,
             "SELECT reference, person_id, organisation_id, event_id FROM registrations "
             "WHERE id = $1",
             t->id) < 0)
        return -1;
    if (r->nrows != 1) return REF_GONE;
    const char *old = db_val(r, 0, "reference");
    if (strcmp(old ? old : "", t->value) == 0) return 0;
    int n = db_q(c, a, NULL,
                 "UPDATE registrations SET reference = $1 WHERE id = $2 AND NOT EXISTS "
                 "(SELECT 1 FROM invoice_lines l WHERE l.registration_id = registrations.id "
                 "OR l.event_id = registrations.event_id)",
                 t->value, t->id);
    if (n < 0) return -1;
    if (n == 0) return REF_INVOICED;
    audit_entry e;
    audit_begin(&e, a, t->actor, t->client_ip, "inschrijving_referentie", t->id);
    e.person_id = db_int(r, 0, "person_id");
    e.org_id = db_int(r, 0, "organisation_id");
    e.event_id = db_int(r, 0, "event_id");
    audit_field(&e, "referentie", old, t->value);
    return audit_write(c, a, &e) == 0 ? 0 : -1;
}

int queue_reference_editable(db_conn *c, arena *a, const char *reg_id)
{
    db_res *r = NULL;
    if (db_q(c, a, &r,
             "SELECT 1 FROM invoice_lines l JOIN registrations r ON r.id = $1 "
             "WHERE l.registration_id = r.id OR l.event_id = r.event_id",
             reg_id) < 0)
        return -1;
    return r->nrows == 0;
}

static void reference_post(http_req *rq, http_resp *rs)
{
    const char *id = req_param(rq, "id");
    if (!field_valid(FK_ID, id, strlen(id))) {
        page_error(rq, rs, 404);
        return;
    }
    if (kv_get(&rq->errors, "referentie")) {
        queue_detail_page(rq, rs, id,
                          &(queue_detail_opts){.error = "De referentie is te lang (hoogstens 100 "
                                                        "tekens) of bevat tekens die niet mogen.",
                                               .status = 422});
        return;
    }
    const char *v = req_in(rq, "referentie");
    ref_tx t = {id, v ? v : "", rq->client_ip, auth_user(rq)->person_id};
    int rc = db_tx(req_db(rq), rq->a, reference_unit, &t);
    if (rc < 0) {
        page_db_error(rq, rs);
        return;
    }
    if (rc == REF_GONE) {
        page_error(rq, rs, 404);
        return;
    }
    if (rc == REF_INVOICED) {
        queue_detail_page(rq, rs, id,
                          &(queue_detail_opts){.error = "De referentie is niet aangepast: er is al "
                                                        "een factuur voor deze inschrijving, en "
                                                        "die blijft zoals hij is verstuurd.",
                                               .status = 409});
        return;
    }
    flash_set(rq, rs, "referentie-opgeslagen");
    resp_redirect(rs, rq->a, 303, arena_printf(rq->a, QUEUE_PATH "/%s", id));
}

static const field_spec fields[] = {
    {"referentie", IN_FORM, FK_LINE, 100},
    {NULL, 0, 0, 0},
};

static const route routes[] = {
    {"POST", QUEUE_PATH "/:id/referentie", reference_post, fields, RF_STAFF},
};

void enrolment_queue_reference_routes(router *r)
{
    router_add_all(r, routes);
}
