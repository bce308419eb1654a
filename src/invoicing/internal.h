/* internal.h - what the files of src/invoicing/ share and no other folder
 * uses. */
#ifndef KP_INVOICING_INTERNAL_H
#define KP_INVOICING_INTERNAL_H

#include "invoicing/store.h"

/* v as a decimal string in a (a statement parameter). */
const char *inv_num(arena *a, long long v);

#endif
