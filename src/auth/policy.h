/* policy.h - the password policy of the manual (step 7) and PRODUCT §4.
 *
 * Rules, each reported with its own Dutch message:
 *   - at least 8 characters (counted as UTF-8 code points); at most 256
 *     bytes are accepted, never truncated;
 *   - no run of 3 or more letters/digits taken from the user's name or
 *     email: the tokens are the email's local part split on non-alphanumerics
 *     (".", "_", "-", "+"), the first name and the last name split into
 *     words; Dutch particles (van, de, der, den, het, ten, ter, te, op, in,
 *     t, 't, von, la, le, du, da, di, del, dos, el, al) and tokens shorter
 *     than 3 characters are not tokens. The password fails when any
 *     substring of length >= 3 of a token occurs in it, compared
 *     case-insensitively after folding common look-alikes ($->s, 0->o,
 *     1->l/i, 3->e, 4->a, 5->s, 7->t, @->a) - so Martin Sommer may not use
 *     "$omm1234Q";
 *   - characters from at least three of the four groups A-Z, a-z, 0-9,
 *     other;
 *   - not on the list of common passwords (compared case-insensitively).
 */
#ifndef KP_POLICY_H
#define KP_POLICY_H

#include <stddef.h>

typedef struct policy_person {
    const char *email;
    const char *first_name;
    const char *last_name; /* may include the infix ("de Vries") */
} policy_person;

#define POLICY_MAX_ERRORS 4

/* Fills msgs with one Dutch sentence per failed rule (static strings) and
 * returns how many failed; 0 means the password is acceptable. */
int policy_check(const char *password, const policy_person *who,
                 const char *msgs[POLICY_MAX_ERRORS]);

/* Loads the list of common passwords (one per line, '#' comments ignored)
 * once at start-up; afterwards read-only and shared by all threads.
 * Returns the number of entries, or -1 if the file cannot be read. */
long policy_load_common(const char *path);
void policy_free_common(void);
/* The Debian package john-data ships this list. */
#define POLICY_COMMON_LIST "/usr/share/john/password.lst"

#endif
