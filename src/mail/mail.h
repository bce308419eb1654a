/* mail.h - outgoing email: the outbox, MIME and the sender.
 *
 * A feature that causes an email calls mail_enqueue() on its own database
 * connection inside the transaction of the change, so the email exists if
 * and only if the change does. The sender (one thread per server process)
 * delivers due messages from the outbox, by SMTP (libcurl) when
 * KLANTPORTAL_SMTP_URL is set, else as .eml files in KLANTPORTAL_MAIL_DIR,
 * retrying with back-off. Several processes may run senders against one
 * database: a message is claimed before it is sent (the outbox is a queue
 * as db/queue.h describes, like the jobs table).
 */
#ifndef KP_MAIL_H
#define KP_MAIL_H

#include <stddef.h>
#include <time.h>

#include "core/arena.h"
#include "core/config.h"
#include "db/db.h"

/* A link that grants access (reset, activation, e-mail change ...) is never
 * stored: the message holds MAIL_LINK_MARKER where the link goes, and the
 * outbox row holds only this request. The sender mints the token when it
 * delivers (see mail_mint_link) and puts BASE_URL + path + "?token=" +
 * token in place of the marker, in memory only. */
typedef struct mail_link {
    const char *kind;      /* account_tokens.kind: "reset", "activatie", "email" ... */
    long long person_id;   /* whose token */
    const char *data;      /* what the token carries (account_tokens.data), may be NULL */
    long long ttl_seconds; /* the token's lifetime, counted from delivery */
    const char *path;      /* where the link points: "/wachtwoord-instellen" */
} mail_link;

/* Put as the template's link value; contains nothing that HTML escaping or
 * quoted-printable changes. */
#define MAIL_LINK_MARKER "[[klantportal-link]]"

/* A file sent with a mail: a calendar file, an invoice PDF. */
typedef struct mail_attachment {
    const char *filename; /* UTF-8 as the recipient sees it, no path: "factuur F2026-0001.pdf" */
    const char *content_type; /* "application/pdf", "text/calendar; charset=utf-8" */
    const void *data;
    size_t len; /* > 0, at most MAIL_ATTACHMENT_MAX */
} mail_attachment;

/* Sizes a mail may carry: a file, and the files of one mail together. */
#define MAIL_ATTACHMENT_MAX (5 * 1024 * 1024)
#define MAIL_ATTACHMENTS_MAX 8

typedef struct mail_msg {
    const char *to_address; /* one address, no display name */
    const char *to_name;    /* display name, may be "" */
    const char *subject;    /* UTF-8, one line */
    const char *text;       /* plain-text part, UTF-8 */
    const char *html;       /* HTML part, UTF-8, or NULL for text only */
    const mail_link *link;  /* the link behind MAIL_LINK_MARKER, or NULL */
    /* files sent with it (mail_enqueue stores them, the sender reads them
     * back for mime_build); NULL when none */
    const mail_attachment *attachments;
    int nattachments; /* at most MAIL_ATTACHMENTS_MAX */
} mail_msg;

/* Validates (address shape, no CR/LF in address, name or subject; with a
 * link: kind, person, ttl > 0, a path starting with '/', the marker in the
 * text; each attachment as mail_attach checks it) and inserts into the
 * outbox, with m->attachments. A link request also voids the person's
 * unused tokens of that kind at once: a newer link voids the older ones.
 * Returns the outbox id (> 0) or -1. */
long long mail_enqueue(db_conn *c, arena *a, const mail_msg *m);

/* Adds a file to the mail outbox_id (mail_enqueue's id), on the caller's
 * connection. Call it in the transaction that queued the mail: the sender
 * only sees the mail once that commits, so it never goes without the file.
 * Refuses (-1, logged) a filename that is empty, longer than 200 bytes,
 * not UTF-8 or holding a control character, '/' or '\'; a content type
 * that is not "type/subtype" (optionally with "; name=value" parameters)
 * in printable ASCII without quotes; an empty file or one past
 * MAIL_ATTACHMENT_MAX; more than MAIL_ATTACHMENTS_MAX files. 0 on success.
 * The data is stored as a BLOB / BYTEA; the housekeeping removes it with
 * its mail. */
int mail_attach(db_conn *c, arena *a, long long outbox_id, const mail_attachment *f);

/* Why an attachment would be refused (Dutch, for the log), or NULL. */
const char *mail_attachment_check(const mail_attachment *f);

/* The sender's half of a link, on c (which must not be in a transaction):
 * in one short transaction (db_tx: run again after a conflict) voids the
 * person's unused tokens of l->kind and stores the SHA-256 of a new token
 * with its expiry and l->data. Returns the full link (base_url + path +
 * "?token=" + token, in arena a), or NULL on a database error. */
char *mail_mint_link(db_conn *c, arena *a, const char *base_url, const mail_link *l);

/* s with every MAIL_LINK_MARKER replaced by link (in arena a). */
char *mail_put_link(arena *a, const char *s, const char *link);

/* The libcurl CURLOPT_USE_SSL level for an SMTP URL: smtps:// and an
 * smtp:// relay on a loopback address need nothing more (1 = none asked);
 * any other smtp:// requires STARTTLS (3 = all), so a man in the middle
 * cannot strip it. Returns the CURLUSESSL_* value. Resolves the host. */
long mail_smtp_tls_level(const char *url);

/* Builds the RFC 5322 message: From, To (name as RFC 2047 encoded word
 * when not plain ASCII), Subject (likewise), Date, Message-ID,
 * MIME-Version, and multipart/alternative with text/plain and text/html
 * parts in UTF-8 (quoted-printable), or a single text/plain part. With
 * attachments that body is the first part of a multipart/mixed, each file
 * a part of its own: base64 in lines of 76, Content-Disposition:
 * attachment with the filename as an ASCII fallback and, when it has other
 * characters, as RFC 2231 filename*=UTF-8''... (continued over lines when
 * long). Lines are CRLF-terminated; the whole message is 7-bit ASCII.
 * NULL when a header value holds CR or LF or an attachment fails
 * mail_attachment_check. */
char *mime_build(arena *a, const char *from, const mail_msg *m, const char *message_id,
                 time_t date);

typedef struct mail_sender mail_sender;

/* Delivers every message that is due now (one pass). Returns the number
 * delivered, or -1 on a database error. Used by the sender thread and by
 * `klantportal mail test`. */
int mail_deliver_due(db *d, const config *cfg);

/* Starts the sender thread (poll every second, and at once after
 * mail_sender_kick). */
int mail_sender_start(db *d, const config *cfg, mail_sender **out, char *err, size_t errlen);
void mail_sender_kick(mail_sender *s);
/* Finishes the message in hand and stops. */
void mail_sender_stop(mail_sender *s);

/* `klantportal mail test --to ADDRESS`: enqueues a test email and runs one
 * delivery pass; `klantportal mail send`: only the delivery pass. argv
 * starts after "mail". Returns the process exit status: 0 sent (test) or
 * pass done (send), 1 not sent or database error, 2 bad usage or address. */
int mail_cli(db *d, const config *cfg, int argc, char **argv);

#endif
