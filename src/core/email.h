/* email.h - the one rule for an e-mail address, shared by the input filter,
 * the outbox and the people module, and its normal form.
 *
 * An address must be safe to put in a mail header and deliverable by plain
 * SMTP: ASCII without whitespace, controls or the RFC 5322 specials, one
 * '@' with text on both sides, a domain with a dot and no empty labels, at
 * most 254 bytes. Pure functions, thread-safe. */
#ifndef KP_EMAIL_H
#define KP_EMAIL_H

#include <stddef.h>

#include "core/arena.h"

/* 1 when v[0..len) is such an address. */
int email_valid(const char *v, size_t len);
/* The address as stored and compared: trimmed and lower-cased (in arena
 * a); NULL when it is not a valid address. */
char *email_normal(arena *a, const char *s);

#endif
