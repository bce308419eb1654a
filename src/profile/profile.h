/* profile.h - Mijn gegevens / Persoonlijke gegevens (J6): the person's
 * private data when acting as person, their employee data when acting for
 * an organisation; the login email change (confirmed by a link to the new
 * address); Wachtwoord wijzigen. */
#ifndef KP_PROFILE_H
#define KP_PROFILE_H

#include "http/router.h"

void profile_routes(router *r);

#endif
