/* import_internal.h - what the pieces of the CSV import share: the
 * columns, a row's checks, the plan (what each row would do) and its
 * execution.
 *
 * The flow: the upload is read (core/csvread.h) and its header mapped to
 * the columns (import_check.c); the file is kept in `imports` under a
 * random key (import_store.c); the preview plans every row against the
 * database without writing (import_plan.c); Importeren plans again inside
 * its transaction, refuses when that plan differs from the one the preview
 * showed (its digest), and writes it (import_write.c). Everything lives in
 * the request's arena. */
#ifndef KP_RELATIONS_IMPORT_INTERNAL_H
#define KP_RELATIONS_IMPORT_INTERNAL_H

#include <stddef.h>

#include "core/arena.h"
#include "core/csvread.h"
#include "db/db.h"

/* An upload's limits: the file, its rows, one field. */
#define IMP_MAX_BYTES (2 * 1024 * 1024)
#define IMP_MAX_ROWS 2000
#define IMP_MAX_FIELD 1000
/* How long a preview can still be imported, and when an unused or done
 * upload is deleted. */
#define IMP_LIFETIME (60 * 60)
#define IMP_KEEP (24 * 60 * 60)

enum imp_col { C_FIRST, C_INFIX, C_LAST, C_EMAIL, C_ORG, C_KVK, C_ROLE, C_TITLE, N_COLS };

typedef struct imp_column {
    const char *name;    /* the header as documented */
    const char *aliases; /* other headers accepted, '|' between, compared as imp_header_key */
    int required;
    size_t max; /* bytes */
    const char *format, *example;
} imp_column;

extern const imp_column imp_columns[N_COLS];
extern const csvr_limits imp_limits;

typedef struct imp_header {
    int at[N_COLS];      /* the field of each column, -1 when absent */
    const char *ignored; /* the headers that are not read, "a, b"; NULL: none */
    size_t nfields;      /* fields in the header */
} imp_header;

/* A header as compared: lower case, without spaces, '-', '_' and '.'. */
char *imp_header_key(arena *a, const char *s);
/* Maps the header record to the columns. NULL, or a Dutch sentence (a
 * required column missing, a column twice). */
const char *imp_header_read(arena *a, const csvr_record *h, imp_header *out);

enum { IMP_ORG_NONE, IMP_ORG_NEW, IMP_ORG_EXISTING };
enum { IMP_MEMBER_NONE, IMP_MEMBER_NEW, IMP_MEMBER_ACTIVE, IMP_MEMBER_ENDED };

typedef struct imp_row {
    int line;              /* in the file */
    const char *v[N_COLS]; /* trimmed, "" when empty; e-mail normalised, role lower case */
    const char *refused;   /* why not, "; " between reasons; NULL: accepted */
    /* the person: existing (person_id), or new, made by row person_row */
    long long person_id;
    size_t person_row;
    const char *person_note; /* the name in the file differs */
    /* the organisation: none, existing (org_id) or new, made by row org_row */
    int org;
    long long org_id;
    size_t org_row;
    int org_by_kvk; /* an existing one was found by KvK number, else by name */
    const char *org_note;
    int member;              /* IMP_MEMBER_* */
    const char *member_role; /* an existing membership's role */
    int mail;                /* this row queues the person's activation mail */
} imp_row;

typedef struct imp_plan {
    imp_row *rows;
    size_t n;
    size_t accepted, refused, persons_new, persons_existing, orgs_new, members_new, mails;
    const char *digest; /* SHA-256 (hex) of what every row would do */
} imp_plan;

/* Text to a value, for the plan's lookups (open addressing, in the
 * arena): the first value added for a key is kept and the adds counted.
 * Initialise for the number of keys it will hold; it never fills. */
typedef struct imp_map {
    const char **keys;
    size_t *vals;
    int *counts;
    size_t cap;
} imp_map;

void imp_map_init(arena *a, imp_map *m, size_t keys);
/* 1 with the key's first value and count, 0 when absent. */
int imp_map_get(const imp_map *m, const char *key, size_t *val, int *count);
/* 1 when the key is new. */
int imp_map_add(imp_map *m, const char *key, size_t val);

/* What the database holds of a file's addresses and organisations. */
typedef struct imp_person {
    long long id;
    const char *first, *infix, *last;
    int staff, blocked, login;
} imp_person;
typedef struct imp_org {
    long long id;
    const char *name;
} imp_org;
typedef struct imp_member {
    const char *role;
    int active;
} imp_member;

typedef struct imp_known {
    imp_map persons; /* address -> person[] */
    imp_person *person;
    size_t npersons;
    imp_map members; /* imp_member_key -> member[] */
    imp_member *member;
    imp_map kvks, names; /* KvK number / name -> the first of kvk_org[] / name_org[], and count */
    imp_org *kvk_org, *name_org;
} imp_known;

/* Reads it for the rows that passed their checks, in a few queries. 0 or
 * -1 on a database error. */
int imp_known_read(db_conn *c, arena *a, const imp_row *rows, size_t n, imp_known *k);
char *imp_member_key(arena *a, long long person_id, long long org_id);

/* The checks of one record that need no database: required fields, the
 * address, the KvK number, the role, lengths. Fills out->v and, when a
 * check fails, out->refused. */
void imp_check_row(arena *a, const imp_header *h, const csvr_record *rec, imp_row *out);

/* Plans every row of t against the database on c (reads only): which
 * person, organisation and membership each accepted row finds or makes,
 * and which rows are refused for what the file or the database holds (a
 * duplicate, a name that goes with another KvK number ...). 0, or -1 on a
 * database error. */
int imp_plan_make(db_conn *c, arena *a, const csvr_table *t, const imp_header *h, int send_mails,
                  imp_plan *out);

/* Reads a stored upload again: t, h and the plan. NULL, or the Dutch
 * reason the file is no longer readable (limits changed since); *dberr
 * set on a database error. */
const char *imp_load_plan(db_conn *c, arena *a, const char *content, size_t len, int send_mails,
                          csvr_table *t, imp_header *h, imp_plan *p, int *dberr);

/* The import as stored. */
typedef struct imp_stored {
    long long id;
    const char *file_name;
    const char *content;
    size_t len;
    int send_mails;
    long long created_at;
    int done;
    long long persons, orgs, members, mails; /* what it made, once done */
} imp_stored;

/* Keeps an upload for its preview: a new random key (returned, in a) and
 * its row; deletes uploads older than IMP_KEEP. NULL on a database error. */
const char *imp_store(db_conn *c, arena *a, long long staff_id, const char *file_name,
                      const char *data, size_t len, int send_mails);
/* The upload of this key made by this staff member: 1 found, 0 not, -1
 * on a database error. */
int imp_find(db_conn *c, arena *a, const char *key, long long staff_id, imp_stored *out);

/* What Importeren needs in its transaction. */
typedef struct imp_run {
    long long staff_id;
    const char *client_ip;
    const struct app *app;
    const char *key;
    const char *digest; /* what the preview showed */
    imp_stored st;      /* out: as stored (counts once done) */
    imp_plan plan;      /* out: the plan made in the transaction */
} imp_run;

enum { IMP_CHANGED = 1, IMP_GONE, IMP_DONE, IMP_EXPIRED, IMP_NOTHING, IMP_UNREADABLE };

/* db_tx: plans again, compares with run->digest, writes every accepted row
 * with its audit lines and activation mails, and marks the upload done. 0,
 * a positive IMP_* refusal (rolled back), or -1. */
int imp_execute(db_conn *c, arena *a, void *run);

#endif
