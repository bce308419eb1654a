/* nlvalid.h - checks and normal forms of Dutch personal and address data,
 * as pure functions (unit-tested): what a person types in Mijn gegevens or
 * a beheerder in Organisatiegegevens.
 *
 * Each check returns NULL when the value is fine (and writes its normal
 * form to *out, in arena a), else a Dutch message for next to the field. */
#ifndef KP_NLVALID_H
#define KP_NLVALID_H

#include "core/arena.h"

/* "1234ab", "1234 AB", " 1234  ab " -> "1234 AB". First digit not 0. */
const char *nl_postcode(arena *a, const char *in, const char **out);
/* Dutch or international phone numbers: digits with optional spaces, '-',
 * '(' ')' and one leading '+'; 10 to 15 digits ("0223-611310",
 * "06 12345678", "+31 6 12345678"). Kept as typed, trimmed. */
const char *nl_phone(arena *a, const char *in, const char **out);
/* House number with optional addition: "12", "12a", "12-2", "12 bis"; the
 * number part 1..99999. Trimmed. */
const char *nl_house_number(arena *a, const char *in, const char **out);
/* Date of birth, already normalised to 'YYYY-MM-DD' by the input filter:
 * not in the future, not before 1900-01-01. today is 'YYYY-MM-DD'. */
const char *nl_birth_date(const char *iso, const char *today);
/* KvK number: exactly 8 digits. */
const char *nl_kvk(arena *a, const char *in, const char **out);
/* A name part (first name, last name, city, street): letters (UTF-8
 * included), spaces, apostrophes, hyphens and dots; 1..max bytes. */
const char *nl_name(arena *a, const char *in, size_t max, const char **out);

#endif
