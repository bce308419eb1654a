/* internal.h - what the back office's own pages share. */
#ifndef KP_BACKOFFICE_INTERNAL_H
#define KP_BACKOFFICE_INTERNAL_H

#include "core/arena.h"
#include "http/router.h"

void backoffice_start_routes(router *r);
void backoffice_audit_routes(router *r);

#endif
