/* choose.h - the way back from the list of an organisation's persons to the
 * enrolment page that asked for a participant (the Kiezen link). The way
 * back comes from the request (?terug=), so it is only ever taken when it
 * is an enrolment page of this site: the list cannot be made into a link
 * that sends someone elsewhere. Pure functions; thread-safe. */
#ifndef KP_ORGANISATION_CHOOSE_H
#define KP_ORGANISATION_CHOOSE_H

#include "core/arena.h"

/* terug itself when it is "/evenementen/<id or slug>/inschrijven", with or
 * without a query, no fragment, nothing auth_safe_return refuses; else
 * NULL. The segment is letters, digits, '-' and '_'. */
const char *org_choose_return(const char *terug);

/* back (accepted by org_choose_return) with deelnemer=person_id as its last
 * parameter, in place of any deelnemer it carried; its other parameters
 * stay as they were. In arena a. */
char *org_choose_href(arena *a, const char *back, const char *person_id);

#endif
