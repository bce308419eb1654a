/* names.c - see names.h. */
#include "core/names.h"

char *names_full(arena *a, const char *first, const char *infix, const char *last)
{
    if (infix && *infix) return arena_printf(a, "%s %s %s", first, infix, last);
    return arena_printf(a, "%s %s", first ? first : "", last ? last : "");
}
