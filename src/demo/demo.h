/* demo.h - the demo data of PRODUCT §7, with dates relative to today. */
#ifndef KP_DEMO_H
#define KP_DEMO_H

#include <stddef.h>

#include "db/db.h"

#define DEMO_PASSWORD "Cursus!2026"

/* Loads everything in one transaction. Refuses a database that already
 * holds persons or categories. Returns 0, or -1 with a reason in err. */
int demo_load(db *d, char *err, size_t errlen);

#endif
