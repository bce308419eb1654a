/* relations.h - persons and organisations in the back office (personen en
 * organisaties in het beheer): find, view, create and edit persons with
 * their memberships, registrations, address history and audit trail; their
 * logins (the activation link, blocking, the brake); organisations with
 * their members; and Organisatie-toegang, a new organisation with its
 * beheerder in one step. Staff only (RF_STAFF). Every change writes one
 * audit line in its own transaction. */
#ifndef KP_RELATIONS_H
#define KP_RELATIONS_H

#include "http/router.h"

void relations_routes(router *r);

#endif
