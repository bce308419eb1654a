/* dossier.h - the Digitaal Dossier's messages: staff write a message with
 * attachments into a person's or an organisation's dossier in the back
 * office; the customer opens it (marked read for that reader) and
 * downloads its attachments; the Mijn menu shows the unread count. */
#ifndef KP_DOSSIER_H
#define KP_DOSSIER_H

#include "http/router.h"

/* Registers the routes (back office and customer) and the Mijn menu's
 * unread count. Call once at start-up. */
void dossier_routes(router *r);

#endif
