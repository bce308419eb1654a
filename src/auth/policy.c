/* policy.c - see policy.h
 *
 * policy_check() allocates nothing and touches no shared state except the
 * common-password set, which is only read; so it is safe from any thread
 * once policy_load_common() has returned.
 */
#include "auth/policy.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#define PW_MIN_CHARS 8
#define PW_MAX_BYTES 256
#define MIN_RUN 3    /* shortest shared run that counts as "part of the name" */
#define MIN_GROUPS 3 /* of upper, lower, digit, other */

static const char MSG_TOO_LONG[] = "Gebruik maximaal 256 tekens.";
static const char MSG_LENGTH[] = "Gebruik minimaal 8 tekens.";
static const char MSG_NAME[] = "Gebruik geen (deel van) uw naam of e-mailadres.";
static const char MSG_GROUPS[] =
    "Gebruik tekens uit minimaal drie van de vier groepen: hoofdletters, "
    "kleine letters, cijfers en vreemde tekens.";
static const char MSG_COMMON[] = "Dit wachtwoord komt te vaak voor; kies een ander.";

/* ASCII-only on purpose: the locale of a server thread must not change what
 * a password means. */
static char ascii_lower(unsigned char c)
{
    return (char)(c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c);
}

static bool ascii_alnum(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/* ---- length ---------------------------------------------------------- */

/* UTF-8 continuation bytes (10xxxxxx) do not start a character; invalid
 * sequences are not rejected here, they just count per lead byte. */
static size_t count_code_points(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        if (((unsigned char)*s & 0xC0) != 0x80) n++;
    return n;
}

/* ---- name and e-mail ------------------------------------------------- */

/* "'t" is listed in the manual but splits into "t" at the apostrophe; the
 * short ones are also caught by MIN_RUN, they are kept to mirror policy.h. */
static const char *const particles[] = {
    "van", "de", "der", "den", "het", "ten", "ter", "te",  "op", "in", "t",
    "von", "la", "le",  "du",  "da",  "di",  "del", "dos", "el", "al",
};

static bool is_particle(const char *w, size_t n)
{
    for (size_t i = 0; i < sizeof particles / sizeof particles[0]; i++) {
        const char *p = particles[i];
        if (strlen(p) != n) continue;
        size_t k = 0;
        while (k < n && ascii_lower((unsigned char)w[k]) == p[k])
            k++;
        if (k == n) return true;
    }
    return false;
}

/* Does password byte p stand for token letter t (already lowercase)? Only
 * the password side is folded: "$omm" reads as "somm", but a token's "s" is
 * never read as "$". '1' may stand for both 'l' and 'i'. */
static bool looks_like(unsigned char p, char t)
{
    if (ascii_lower(p) == t) return true;
    switch (p) {
    case '$':
    case '5':
        return t == 's';
    case '0':
        return t == 'o';
    case '1':
        return t == 'l' || t == 'i';
    case '3':
        return t == 'e';
    case '4':
    case '@':
        return t == 'a';
    case '7':
        return t == 't';
    default:
        return false;
    }
}

static bool run_matches(const char *pw, const char *tok)
{
    for (size_t k = 0; k < MIN_RUN; k++)
        if (!looks_like((unsigned char)pw[k], ascii_lower((unsigned char)tok[k]))) return false;
    return true;
}

/* Any longer shared substring contains a shared one of MIN_RUN characters,
 * so comparing every MIN_RUN window of the token is enough. */
static bool shares_run(const char *pw, size_t pwlen, const char *tok, size_t toklen)
{
    if (pwlen < MIN_RUN) return false;
    for (size_t i = 0; i + MIN_RUN <= toklen; i++)
        for (size_t j = 0; j + MIN_RUN <= pwlen; j++)
            if (run_matches(pw + j, tok + i)) return true;
    return false;
}

/* Tokens are maximal runs of ASCII letters/digits; everything else,
 * including the bytes of non-ASCII letters, separates them. */
static bool field_hits(const char *pw, size_t pwlen, const char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        while (i < n && !ascii_alnum((unsigned char)s[i]))
            i++;
        size_t start = i;
        while (i < n && ascii_alnum((unsigned char)s[i]))
            i++;
        size_t len = i - start;
        if (len >= MIN_RUN && !is_particle(s + start, len) && shares_run(pw, pwlen, s + start, len))
            return true;
    }
    return false;
}

/* Only the local part: the domain is shared by many users and says nothing
 * about this one. The last '@' ends it, as a domain cannot hold one. */
static size_t local_part_len(const char *email)
{
    const char *at = strrchr(email, '@');
    return at ? (size_t)(at - email) : strlen(email);
}

static bool uses_name(const char *pw, size_t pwlen, const policy_person *who)
{
    if (!who) return false;
    if (who->email && field_hits(pw, pwlen, who->email, local_part_len(who->email))) return true;
    if (who->first_name && field_hits(pw, pwlen, who->first_name, strlen(who->first_name)))
        return true;
    if (who->last_name && field_hits(pw, pwlen, who->last_name, strlen(who->last_name)))
        return true;
    return false;
}

/* ---- character groups ------------------------------------------------ */

static int group_count(const char *pw)
{
    unsigned seen = 0;
    for (const unsigned char *p = (const unsigned char *)pw; *p; p++) {
        if (*p >= 'A' && *p <= 'Z')
            seen |= 1u;
        else if (*p >= 'a' && *p <= 'z')
            seen |= 2u;
        else if (*p >= '0' && *p <= '9')
            seen |= 4u;
        else
            seen |= 8u;
    }
    return (int)((seen & 1u) + (seen >> 1 & 1u) + (seen >> 2 & 1u) + (seen >> 3 & 1u));
}

/* ---- common passwords ------------------------------------------------ */

/* Entries live lowercased and NUL-separated in one blob; slots hold offset + 1 so that 0
 * marks an empty slot. The table is at most half full, so probing always
 * reaches an empty slot. */
typedef struct word_set {
    char *blob;
    size_t blob_len, blob_cap;
    size_t *slots;
    size_t mask; /* slot count - 1; slot count is a power of two */
    long count;
} word_set;

static word_set common; /* written only by load/free, read by policy_check */

static uint64_t hash_str(const char *s, size_t n)
{
    uint64_t h = 1469598103934665603u; /* FNV-1a */
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 1099511628211u;
    }
    return h;
}

static bool set_contains(const word_set *ws, const char *s, size_t n)
{
    if (!ws->slots) return false;
    for (size_t i = hash_str(s, n) & ws->mask;; i = (i + 1) & ws->mask) {
        size_t off = ws->slots[i];
        if (off == 0) return false;
        if (strcmp(ws->blob + off - 1, s) == 0) return true;
    }
}

static void set_insert(word_set *ws, size_t off)
{
    const char *s = ws->blob + off;
    size_t n = strlen(s);
    size_t i = hash_str(s, n) & ws->mask;
    for (; ws->slots[i] != 0; i = (i + 1) & ws->mask)
        if (strcmp(ws->blob + ws->slots[i] - 1, s) == 0) return; /* duplicate */
    ws->slots[i] = off + 1;
    ws->count++;
}

static bool blob_append(word_set *ws, const char *s, size_t n)
{
    if (ws->blob_cap - ws->blob_len < n + 1) {
        size_t cap = ws->blob_cap ? ws->blob_cap : 64 * 1024;
        while (cap - ws->blob_len < n + 1)
            cap *= 2;
        char *p = realloc(ws->blob, cap);
        if (!p) return false;
        ws->blob = p;
        ws->blob_cap = cap;
    }
    for (size_t i = 0; i < n; i++)
        ws->blob[ws->blob_len + i] = ascii_lower((unsigned char)s[i]);
    ws->blob[ws->blob_len + n] = '\0';
    ws->blob_len += n + 1;
    return true;
}

/* Strips the line end (also "\r\n") and says whether the line is an entry:
 * not empty, not a comment ("#!comment:" in john's list), no NUL byte, and
 * not longer than any password policy_check() would look up. */
static bool line_entry(char *line, size_t *n)
{
    while (*n > 0 && (line[*n - 1] == '\n' || line[*n - 1] == '\r'))
        (*n)--;
    return *n > 0 && *n <= PW_MAX_BYTES && line[0] != '#' && !memchr(line, '\0', *n);
}

static bool read_entries(FILE *f, word_set *ws, size_t *entries)
{
    char *line = NULL;
    size_t cap = 0;
    ssize_t got;
    bool ok = true;
    while (ok && (got = getline(&line, &cap, f)) != -1) {
        size_t n = (size_t)got;
        if (!line_entry(line, &n)) continue;
        ok = blob_append(ws, line, n);
        *entries += ok;
    }
    free(line);
    return ok && !ferror(f);
}

static bool build_table(word_set *ws, size_t entries)
{
    size_t slots = 16;
    while (slots < entries * 2) {
        if (slots > SIZE_MAX / 4) return false;
        slots *= 2;
    }
    ws->slots = calloc(slots, sizeof *ws->slots);
    if (!ws->slots) return false;
    ws->mask = slots - 1;
    for (size_t off = 0; off < ws->blob_len; off += strlen(ws->blob + off) + 1)
        set_insert(ws, off);
    return true;
}

static void set_free(word_set *ws)
{
    free(ws->blob);
    free(ws->slots);
    *ws = (word_set){0};
}

/* The new set is built aside and swapped in only when complete, so a
 * failed reload keeps the previous list. */
long policy_load_common(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f) return -1;
    word_set ws = {0};
    size_t entries = 0;
    bool ok = read_entries(f, &ws, &entries) && build_table(&ws, entries);
    fclose(f);
    if (!ok) {
        set_free(&ws);
        return -1;
    }
    set_free(&common);
    common = ws;
    return common.count;
}

void policy_free_common(void)
{
    set_free(&common);
}

static bool is_common(const char *pw, size_t len)
{
    char low[PW_MAX_BYTES + 1];
    for (size_t i = 0; i < len; i++)
        low[i] = ascii_lower((unsigned char)pw[i]);
    low[len] = '\0';
    return set_contains(&common, low, len);
}

/* ---- the policy ------------------------------------------------------ */

int policy_check(const char *password, const policy_person *who,
                 const char *msgs[POLICY_MAX_ERRORS])
{
    const char *pw = password ? password : "";
    size_t len = strnlen(pw, PW_MAX_BYTES + 1);
    int n = 0;
    for (int i = 0; i < POLICY_MAX_ERRORS; i++)
        msgs[i] = NULL;
    /* Never truncated, and the other rules are moot until it fits. */
    if (len > PW_MAX_BYTES) {
        msgs[n++] = MSG_TOO_LONG;
        return n;
    }
    if (count_code_points(pw) < PW_MIN_CHARS) msgs[n++] = MSG_LENGTH;
    if (uses_name(pw, len, who)) msgs[n++] = MSG_NAME;
    if (group_count(pw) < MIN_GROUPS) msgs[n++] = MSG_GROUPS;
    if (is_common(pw, len)) msgs[n++] = MSG_COMMON;
    return n;
}
