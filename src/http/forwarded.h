/* forwarded.h - the client address behind trusted proxies.
 *
 * A proxy appends the address it received the request from to the
 * X-Forwarded-For header, so the list reads "client, proxy1, proxy2" and
 * only the entries added by our own proxies can be believed: anything to
 * the left of them was written by the client. The client is therefore the
 * right-most entry that is not itself a trusted proxy, and X-Forwarded-For
 * counts only when the TCP peer is a trusted proxy.
 *
 * Pure function, thread-safe, no allocation.
 */
#ifndef KP_FORWARDED_H
#define KP_FORWARDED_H

#include <stddef.h>

#include "core/netaddr.h"

/* values: every X-Forwarded-For header value in the order received (each a
 * comma-separated list; spaces around entries are ignored). Returns the
 * client address:
 *   - the peer, when the peer is not in `trusted` or there is no header;
 *   - else the right-most entry not in `trusted`;
 *   - the peer again when, walking from the right, an entry that is not an
 *     IP address is met before that one (a proxy that writes garbage cannot
 *     be relied on);
 *   - the left-most entry when all of them are trusted proxies. */
netaddr forwarded_client(const netaddr_list *trusted, const netaddr *peer,
                         const char *const *values, size_t nvalues);

#endif
