/* names.h - the one way a person's name is written: "Jan de Vries",
 * "Deby Rummens - Heijnen". Shared by the sessions (the name top right)
 * and the people module. Pure, thread-safe. */
#ifndef KP_NAMES_H
#define KP_NAMES_H

#include "core/arena.h"

/* First name, infix (may be NULL or ""), last name, in arena a. */
char *names_full(arena *a, const char *first, const char *infix, const char *last);

#endif
