/* import.h - Import (/beheer/import): the back office reads persons,
 * organisations and memberships from a CSV file. The page documents the
 * columns and takes the file; a preview shows per row what would happen
 * and every row that would be refused and why, writing nothing; Importeren
 * writes the accepted rows in one transaction, with an audit line per
 * change and, when chosen, the activation mails. Staff only (RF_STAFF). */
#ifndef KP_RELATIONS_IMPORT_H
#define KP_RELATIONS_IMPORT_H

#include "http/router.h"

void relations_import_routes(router *r);

#endif
