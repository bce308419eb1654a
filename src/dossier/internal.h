/* internal.h - what the dossier's files share. Private to src/dossier/. */
#ifndef KP_DOSSIER_INTERNAL_H
#define KP_DOSSIER_INTERNAL_H

#include <stddef.h>

#include "app.h"
#include "db/db.h"
#include "http/http.h"

/* What staff may attach: files per message, bytes per file (under the
 * upload parser's own limit per file, so a file too large gets the form's
 * Dutch message, not a 413 page), and the text's length. */
#define DOSSIER_MAX_FILES 5
#define DOSSIER_MAX_FILE (4 * 1024 * 1024)
#define DOSSIER_BODY_MAX 32000

static inline const char *dossier_num(arena *a, long long v)
{
    return arena_printf(a, "%lld", v);
}

/* Whose dossier a back-office page is about: exactly one of person_id and
 * org_id is set, from the path, after it was looked up. */
typedef struct dossier_owner {
    const char *person_id, *org_id;
    const char *name;  /* the person's full name or the organisation's name */
    const char *email; /* the person's address ('' when none); NULL for an organisation */
} dossier_owner;

/* One checked attachment, ready to store. */
typedef struct dossier_file {
    const char *name; /* cleaned (core/filetype.h) */
    const char *content_type;
    const char *data;
    size_t len;
} dossier_file;

/* A message to write, with its files. */
typedef struct dossier_new {
    const dossier_owner *to;
    const char *subject, *body; /* body: Markdown, line ends "\n" */
    const dossier_file *files;
    int nfiles;
    long long actor;
    const char *client_ip;
    const char *base_url;
    const struct tmpl_set *tmpl;
    long long id; /* out: the new message's id */
} dossier_new;

/* ---- store.c ---- */

/* The person or organisation with this id (looked up), or a result with no
 * rows. NULL on a database error. */
db_res *dossier_person(db_conn *c, arena *a, const char *id);
db_res *dossier_org(db_conn *c, arena *a, const char *id);

/* The newest messages of a dossier (DOSSIER_LIST_MAX): id, subject,
 * created_at, author (full name parts author_first/_infix/_last),
 * attachments (count). */
#define DOSSIER_LIST_MAX 100
db_res *dossier_list(db_conn *c, arena *a, const dossier_owner *o);
/* Who read the messages listed: message_id, read_at, first_name, infix,
 * last_name; ordered by message and time. */
db_res *dossier_list_reads(db_conn *c, arena *a, const dossier_owner *o);

/* Writes the message, its attachments, the audit line and the mails in
 * one transaction. 0 (n->id set) or -1. */
int dossier_write(db_conn *c, arena *a, dossier_new *n);

/* The reader's scope: the person acting, and the organisation when acting
 * for one as beheerder. A medewerker's scope sees nothing. */
typedef struct dossier_scope {
    long long person_id;
    long long org_id; /* 0: person context */
    int sees_nothing; /* a medewerker in organisation context */
} dossier_scope;

/* The message id if the scope may read it: id, subject, body, created_at,
 * organisation_id. No rows when not (unknown or someone else's). */
db_res *dossier_message(db_conn *c, arena *a, const dossier_scope *s, const char *id);
/* Its attachments: id, filename, content_type, size_bytes. */
db_res *dossier_attachments(db_conn *c, arena *a, const char *message_id);
/* An attachment the scope may read: filename, content_type, data_base64. */
db_res *dossier_attachment(db_conn *c, arena *a, const dossier_scope *s, const char *id);
/* Marks the message read for the reader; a second time changes nothing. */
int dossier_mark_read(db_conn *c, arena *a, const char *message_id, long long reader);
/* Unread messages in the scope for its reader; -1 on a database error. */
long long dossier_unread(db_conn *c, arena *a, const dossier_scope *s);

/* ---- admin.c, message.c ---- */
void dossier_admin_routes(router *r);
void dossier_message_routes(router *r);

#endif
