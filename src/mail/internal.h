/* internal.h - what the files of src/mail share and no one else uses. */
#ifndef KP_MAIL_INTERNAL_H
#define KP_MAIL_INTERNAL_H

#include <stddef.h>

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

#endif
