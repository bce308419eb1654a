/* internal.h - what the files of src/mail share and no one else uses. */
#ifndef KP_MAIL_INTERNAL_H
#define KP_MAIL_INTERNAL_H

#include <stddef.h>

#include "core/buf.h"
#include "mail/mail.h"

/* Starts libcurl once per process (safe from any thread). */
void mail_transport_init(void);

/* Builds message m (outbox id, its Message-ID) and hands it over: by SMTP
 * when cfg->smtp_url is set, else as <mail_dir>/<id>.eml. Blocks for as
 * long as the SMTP server takes (bounded by libcurl's timeouts), so call
 * it without holding a database connection. 0, or -1 with the reason in
 * err (any password of the SMTP URL masked). */
int mail_transport_send(arena *a, const config *cfg, long long id, const mail_msg *m,
                        const char *message_id, char *err, size_t errlen);

/* Appends the base64 of p[0..n) as one run (no line breaks). */
void mime_base64(buf *b, const unsigned char *p, size_t n);

/* Appends one attachment as a MIME part (its headers, a blank line, the
 * base64 body in lines of 76, each ended by CRLF), without the boundary
 * line before it. f must have passed mail_attachment_check. */
void mime_attachment_part(buf *b, const mail_attachment *f);

/* Reads the attachments of outbox row id into m->attachments (in arena a,
 * in the order they were added); none leaves them NULL. 0, or -1 on a
 * database error. */
int mail_attachments_load(db_conn *c, arena *a, long long id, mail_msg *m);

#endif
