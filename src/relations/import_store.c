/* import_store.c - an upload kept between its preview and Importeren: the
 * file as sent, under the SHA-256 of a random key, for the staff member who
 * sent it. */
#include <string.h>

#include "auth/token.h"
#include "core/timeutil.h"
#include "relations/import_internal.h"

typedef struct keep {
    long long staff_id;
    const char *key_hash, *file_name, *data;
    size_t len;
    int send_mails;
} keep;

static int keep_tx(db_conn *c, arena *a, void *arg)
{
    keep *k = arg;
    long long now = (long long)clock_now();
    /* nobody imports a preview of yesterday: drop the files of old uploads */
    if (db_q(c, a, NULL, "DELETE FROM imports WHERE created_at < $1",
             arena_printf(a, "%lld", now - IMP_KEEP)) < 0)
        return -1;
    const char *params[] = {k->key_hash,
                            arena_printf(a, "%lld", k->staff_id),
                            k->file_name,
                            k->data,
                            k->send_mails ? "1" : "0",
                            arena_printf(a, "%lld", now)};
    const size_t lens[] = {DB_TEXT, DB_TEXT, DB_TEXT, k->len, DB_TEXT, DB_TEXT};
    return db_query_bin(c, a, NULL,
                        "INSERT INTO imports (key_hash, staff_id, file_name, content, send_mails,"
                        " created_at) VALUES ($1, $2, $3, $4, $5, $6)",
                        6, params, lens) == 1
               ? 0
               : -1;
}

const char *imp_store(db_conn *c, arena *a, long long staff_id, const char *file_name,
                      const char *data, size_t len, int send_mails)
{
    char *key = token_new(a);
    keep k = {staff_id, token_hash(a, key), file_name, data, len, send_mails};
    return db_tx(c, a, keep_tx, &k) == 0 ? key : NULL;
}

int imp_find(db_conn *c, arena *a, const char *key, long long staff_id, imp_stored *out)
{
    memset(out, 0, sizeof *out);
    db_res *r;
    const char *sql =
        arena_printf(a,
                     "SELECT id, file_name, content, send_mails, created_at, done_at,"
                     " persons_created, orgs_created, memberships_created, mails_queued"
                     " FROM imports WHERE key_hash = $1 AND staff_id = $2%s",
                     db_in_tx(c) ? db_for_update(c, a, NULL) : "");
    if (db_q(c, a, &r, sql, token_hash(a, key), arena_printf(a, "%lld", staff_id)) < 0) return -1;
    if (r->nrows != 1) return 0;
    out->id = db_int(r, 0, "id");
    out->file_name = db_val(r, 0, "file_name");
    out->content = db_blob(r, a, 0, "content", &out->len);
    if (!out->content) out->content = "";
    out->send_mails = db_int(r, 0, "send_mails") != 0;
    out->created_at = db_int(r, 0, "created_at");
    out->done = db_val(r, 0, "done_at") != NULL;
    out->persons = db_int(r, 0, "persons_created");
    out->orgs = db_int(r, 0, "orgs_created");
    out->members = db_int(r, 0, "memberships_created");
    out->mails = db_int(r, 0, "mails_queued");
    return 1;
}
