/* backoffice.h - the back office's own pages that belong to no single
 * feature: the start page /beheer (what needs doing: registrations to
 * process, this week's events and their fill rate, waiting lists, logins
 * the brake holds back) and the audit trail /beheer/audit. Every feature
 * owns the back-office pages of its own data, next to its store; this
 * folder only reads what they expose in their headers. Staff only
 * (RF_STAFF). */
#ifndef KP_BACKOFFICE_H
#define KP_BACKOFFICE_H

#include "http/router.h"

void backoffice_routes(router *r);

#endif
