/* postgres.c - the PostgreSQL backend (libpq, text protocol throughout).
 *
 * Parameters go untyped (paramTypes NULL) so the server infers each type
 * from where it is used; results come back as text, which is what db.h
 * promises anyway.
 */
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/backend.h"

static PGconn *pg(db_conn *c)
{
    return c->h;
}

/* ---- connecting ------------------------------------------------------- */

/* libpq quotes parts of a malformed URL in its messages, which can include
 * the password; mask it before the message goes anywhere. */
static void mask_password(char *msg, const char *url)
{
    char *perr = NULL;
    PQconninfoOption *opts = PQconninfoParse(url, &perr);
    if (!opts) {
        /* unparseable: we cannot tell where the password is, say nothing */
        msg[0] = '\0';
        PQfreemem(perr);
        return;
    }
    for (PQconninfoOption *o = opts; o->keyword; o++) {
        if (strcmp(o->keyword, "password") != 0 || !o->val || !o->val[0]) continue;
        size_t n = strlen(o->val);
        for (char *p = strstr(msg, o->val); p; p = strstr(p + 1, o->val))
            memset(p, '*', n);
    }
    PQconninfoFree(opts);
}

static void connect_error(char *err, size_t errlen, PGconn *conn, const char *url)
{
    char line[512];
    db_first_line(line, sizeof(line), conn ? PQerrorMessage(conn) : "geen geheugen");
    mask_password(line, url);
    if (!line[0]) snprintf(line, sizeof(line), "ongeldige verbindings-URL");
    if (err && errlen) snprintf(err, errlen, "PostgreSQL antwoordt niet: %s", line);
}

/* Session settings, needed again after every PQreset. */
static int setup_session(PGconn *conn)
{
    PGresult *r = PQexec(conn, "SET client_min_messages = warning");
    int ok = PQresultStatus(r) == PGRES_COMMAND_OK;
    PQclear(r);
    return ok ? 0 : -1;
}

static void *pg_open(const char *url, char *err, size_t errlen)
{
    /* Keywords before dbname are defaults: whatever the URL says wins. */
    const char *keys[] = {"connect_timeout", "client_encoding", "application_name", "dbname", NULL};
    const char *vals[] = {"5", "UTF8", "klantportal", url, NULL};
    PGconn *conn = PQconnectdbParams(keys, vals, 1);
    if (!conn || PQstatus(conn) != CONNECTION_OK || setup_session(conn) != 0) {
        connect_error(err, errlen, conn, url);
        PQfinish(conn);
        return NULL;
    }
    return conn;
}

static void pg_close(void *h)
{
    PQfinish(h);
}

/* The pool's limits as session settings (see db_set_limits). */
static int pg_apply_limits(db_conn *c)
{
    char sql[200];
    snprintf(sql, sizeof sql,
             "SET statement_timeout = %d; SET lock_timeout = %d;"
             " SET idle_in_transaction_session_timeout = %d",
             c->lim.query_ms, c->lim.lock_ms, c->lim.idle_tx_ms);
    PGresult *r = PQexec(pg(c), sql);
    int ok = PQresultStatus(r) == PGRES_COMMAND_OK;
    PQclear(r);
    return ok ? 0 : db_fail(c, DB_ERR_OTHER, "postgresql: limieten instellen mislukt");
}

/* A server restart breaks every pooled connection; reconnect once, here,
 * rather than failing one request per connection. Never inside a
 * transaction: its earlier statements are gone with the old connection,
 * and the rest would run in autocommit as if nothing happened. */
static int ensure_connected(db_conn *c)
{
    if (PQstatus(pg(c)) == CONNECTION_OK) return 0;
    if (c->in_tx)
        return db_fail(c, DB_ERR_CONNECTION,
                       "PostgreSQL: verbinding verbroken tijdens een transactie");
    PQreset(pg(c));
    if (PQstatus(pg(c)) == CONNECTION_OK && setup_session(pg(c)) == 0 && pg_apply_limits(c) == 0)
        return 0;
    char line[400];
    db_first_line(line, sizeof(line), PQerrorMessage(pg(c)));
    return db_fail(c, DB_ERR_CONNECTION, "PostgreSQL antwoordt niet: %s", line);
}

/* ---- errors ----------------------------------------------------------- */

static db_errkind kind_of(const char *state)
{
    if (!state) return DB_ERR_OTHER;
    if (strcmp(state, "23505") == 0) return DB_ERR_UNIQUE;
    if (strcmp(state, "23503") == 0) return DB_ERR_FOREIGN;
    if (strcmp(state, "40001") == 0 || strcmp(state, "40P01") == 0 || strcmp(state, "55P03") == 0)
        return DB_ERR_BUSY;
    /* 57014: cancelled by statement_timeout */
    if (strcmp(state, "57014") == 0) return DB_ERR_TIMEOUT;
    /* 08P01 is what a wrong parameter count gets: a bug, not a lost link */
    if (strcmp(state, "08P01") == 0) return DB_ERR_OTHER;
    /* 08: connection exception; 57P01..03: server shutting down/starting */
    if (strncmp(state, "08", 2) == 0 || strncmp(state, "57P0", 4) == 0) return DB_ERR_CONNECTION;
    return DB_ERR_OTHER;
}

static int fail_result(db_conn *c, PGresult *r)
{
    const char *state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
    const char *msg = r ? PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY) : NULL;
    char line[400];
    db_first_line(line, sizeof(line), msg ? msg : PQerrorMessage(pg(c)));
    db_errkind kind = kind_of(state);
    if (!state && PQstatus(pg(c)) != CONNECTION_OK) kind = DB_ERR_CONNECTION;
    if (r && PQresultStatus(r) == PGRES_EMPTY_QUERY) snprintf(line, sizeof(line), "lege SQL");
    if (!state) return db_fail(c, kind, "postgresql: %s", line);
    return db_fail(c, kind, "postgresql %s: %s", state, line);
}

/* ---- queries ---------------------------------------------------------- */

static db_res *to_res(arena *a, PGresult *r)
{
    db_res *res = arena_zalloc(a, sizeof(*res));
    res->nrows = PQntuples(r);
    res->ncols = PQnfields(r);
    res->cols = arena_alloc(a, sizeof(char *) * (size_t)(res->ncols ? res->ncols : 1));
    for (int i = 0; i < res->ncols; i++)
        res->cols[i] = arena_strdup(a, PQfname(r, i));
    size_t n = (size_t)res->nrows * (size_t)res->ncols;
    res->vals = arena_alloc(a, sizeof(char *) * (n ? n : 1));
    size_t *lens = arena_alloc(a, sizeof(size_t) * (n ? n : 1));
    for (int row = 0; row < res->nrows; row++) {
        for (int col = 0; col < res->ncols; col++) {
            size_t i = (size_t)row * (size_t)res->ncols + (size_t)col;
            lens[i] = (size_t)PQgetlength(r, row, col);
            res->vals[i] = PQgetisnull(r, row, col)
                               ? NULL
                               : arena_strndup(a, PQgetvalue(r, row, col), lens[i]);
        }
    }
    res->lens = lens;
    res->bytea_hex = 1;
    return res;
}

#define MAX_BIN_PARAMS 64

/* Binary parameters go in binary format with their length; the others as
 * text (lengths and formats are then ignored by libpq). */
static PGresult *exec_params(db_conn *c, const char *sql, int nparams, const char *const *params,
                             const size_t *lens)
{
    if (!lens || nparams == 0)
        return PQexecParams(pg(c), sql, nparams, NULL, params, NULL, NULL, 0);
    int lengths[MAX_BIN_PARAMS], formats[MAX_BIN_PARAMS];
    for (int i = 0; i < nparams; i++) {
        int bin = lens[i] != DB_TEXT && lens[i] <= (size_t)2147483647;
        lengths[i] = bin ? (int)lens[i] : 0;
        formats[i] = bin;
    }
    return PQexecParams(pg(c), sql, nparams, NULL, params, lengths, formats, 0);
}

static int pg_query(db_conn *c, arena *a, db_res **out, const char *sql, int nparams,
                    const char *const *params, const size_t *lens)
{
    if (lens && nparams > MAX_BIN_PARAMS)
        return db_fail(c, DB_ERR_OTHER, "db_query_bin: te veel parameters");
    if (ensure_connected(c) != 0) return -1;
    PGresult *r = exec_params(c, sql, nparams, params, lens);
    int n;
    switch (PQresultStatus(r)) {
    case PGRES_TUPLES_OK:
        n = PQntuples(r);
        if (out) *out = to_res(a, r);
        break;
    case PGRES_COMMAND_OK:
        n = atoi(PQcmdTuples(r)); /* "" for commands that touch no rows */
        if (out) *out = to_res(a, r);
        break;
    default:
        n = fail_result(c, r);
    }
    PQclear(r);
    return n;
}

static int pg_exec_script(db_conn *c, const char *sql)
{
    if (ensure_connected(c) != 0) return -1;
    PGresult *r = PQexec(pg(c), sql);
    ExecStatusType st = PQresultStatus(r);
    int rc = 0;
    /* an empty script (only comments) is fine for a migration */
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK && st != PGRES_EMPTY_QUERY)
        rc = fail_result(c, r);
    PQclear(r);
    return rc;
}

static int pg_in_transaction(db_conn *c)
{
    PGTransactionStatusType st = PQtransactionStatus(pg(c));
    return st == PQTRANS_INTRANS || st == PQTRANS_INERROR;
}

static int pg_tx_failed(db_conn *c)
{
    return PQtransactionStatus(pg(c)) == PQTRANS_INERROR;
}

const db_backend db_postgres_backend = {
    .kind = DB_POSTGRES,
    .open = pg_open,
    .close = pg_close,
    .query = pg_query,
    .exec_script = pg_exec_script,
    .in_transaction = pg_in_transaction,
    .tx_failed = pg_tx_failed,
    .begin_sql = "BEGIN",
    .apply_limits = pg_apply_limits,
};
