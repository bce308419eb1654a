/* connguard.h - keeps one client from tying up the server's connections.
 *
 * Two rules, both enforced outside libmicrohttpd (which has neither in a
 * form we can use):
 *   - at most `per_address` open connections per client address (the TCP
 *     peer); trusted proxies are exempt, since behind a balancer every
 *     connection comes from one address;
 *   - a connection waiting for a request must have received all of it,
 *     headers and body, within `receive_seconds` of starting to wait (from
 *     accept, or from the previous response on keep-alive). An idle timeout
 *     alone never fires on a client that trickles one byte a second. Time
 *     in which the server was behind does not count: while the connection's
 *     request thread was busy handling other requests (it could not read),
 *     or while its bytes wait unread in the kernel.
 *
 * A watchdog thread checks the deadline and cuts an overdue connection with
 * shutdown(): libmicrohttpd owns the descriptor and closes it itself.
 *
 * Thread-safety: every function may be called from any thread; one mutex
 * guards the table and the list of connections. A conn_slot belongs to the
 * guard and is valid from connguard_open until connguard_close.
 */
#ifndef KP_CONNGUARD_H
#define KP_CONNGUARD_H

#include <sys/socket.h>

#include "core/netaddr.h"

typedef struct connguard connguard;
typedef struct conn_slot conn_slot;

/* Starts the watchdog. `trusted` is referenced, not copied (the process's
 * config). receive_seconds 0 = no deadline. Aborts when out of memory. */
connguard *connguard_new(const netaddr_list *trusted, int per_address, int receive_seconds);
/* Stops the watchdog; call after the last connection has closed. */
void connguard_free(connguard *g);

/* The accept policy: 1 when a connection from sa may be accepted. */
int connguard_admit(connguard *g, const struct sockaddr *sa);
/* A connection was accepted on fd: counts it and starts its clock. Should
 * the address be over its limit after all (accepts race on several
 * threads), the connection is cut at once. Returns its slot. */
conn_slot *connguard_open(connguard *g, const struct sockaddr *sa, int fd);
/* The connection closed (fd still open): forget it. s may be NULL. */
void connguard_close(connguard *g, conn_slot *s);
/* The whole request is in: the clock stops while it is handled, parked or
 * answered. s may be NULL. */
void connguard_request_in(connguard *g, conn_slot *s);
/* The response is done; on keep-alive the next request's clock starts. */
void connguard_next_request(connguard *g, conn_slot *s);
/* Called by a request thread on entering (1) and leaving (0) the handling
 * of a request. Connections are counted as served by the thread that
 * called connguard_open, so call that from the thread that will serve. */
void connguard_busy(connguard *g, int busy);

#endif
