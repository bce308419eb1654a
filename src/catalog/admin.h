/* admin.h - the catalog's back-office pages, staff only (RF_STAFF):
 * Categorieën (/beheer/categorieen: the tree, new, edit, delete) and
 * Cursussen (/beheer/cursussen: the list with its filters, new, edit with
 * a preview of the description, delete). Every change is stored with its
 * audit line (old -> new per field) in one transaction; a slug or a place
 * in the tree that changes leaves the old public address redirecting
 * (admin_store.h). The events of a course are the enrolment feature's
 * pages (/beheer/evenementen). */
#ifndef KP_CATALOG_ADMIN_H
#define KP_CATALOG_ADMIN_H

#include "http/router.h"

void catalog_admin_routes(router *r);

#endif
