/* timeline.h - Digitaal Dossier: /mijn/dossier, one timeline, newest
 * first, of the registrations, messages and invoices of the current
 * context's file, filterable by kind (see timeline_store.h for whose file
 * is whose). Links go to the message pages (/mijn/dossier/berichten/<id>),
 * the invoices (/mijn/facturen/<nummer>) and Cursussen. */
#ifndef KP_DOSSIER_TIMELINE_H
#define KP_DOSSIER_TIMELINE_H

#include "http/router.h"

/* Adds the timeline's route (RF_LOGIN). Call once at start-up. */
void dossier_timeline_routes(router *r);

#endif
