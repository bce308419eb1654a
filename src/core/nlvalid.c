/* nlvalid.c - see nlvalid.h. Pure functions: no database, no clock (the
 * caller passes today), every result in the caller's arena. */
#include "core/nlvalid.h"

#include <stdint.h>
#include <string.h>

#include "core/timeutil.h"
#include "core/utf8.h"

#define MSG_POSTCODE "Vul een geldige postcode in, bijvoorbeeld 1234 AB."
#define MSG_PHONE                                                                                  \
    "Vul een geldig telefoonnummer in (10 tot 15 cijfers), bijvoorbeeld 0223-611310 of "           \
    "+31 6 12345678."
#define MSG_HOUSE "Vul een geldig huisnummer in, bijvoorbeeld 12, 12a of 12-2."
#define MSG_DATE "Vul een geldige datum in (dd-mm-jjjj)."
#define MSG_FUTURE "De geboortedatum kan niet in de toekomst liggen."
#define MSG_TOO_OLD "Vul een geboortedatum vanaf 01-01-1900 in."
#define MSG_KVK "Een KvK-nummer bestaat uit precies 8 cijfers."
#define MSG_NAME_EMPTY "Vul dit veld in."
#define MSG_NAME_CHARS "Gebruik alleen letters, spaties, apostroffen, punten en streepjes."

static int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static int is_alpha(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static char to_upper(char c)
{
    return c >= 'a' && c <= 'z' ? (char)(c - 'a' + 'A') : c;
}

/* The input without leading and trailing white space; *len gets its
 * length. A NULL input counts as empty. */
static const char *trim(const char *in, size_t *len)
{
    if (!in) in = "";
    while (is_space(*in))
        in++;
    size_t n = strlen(in);
    while (n && is_space(in[n - 1]))
        n--;
    *len = n;
    return in;
}

/* ------------------------------------------------------------- postcode */

const char *nl_postcode(arena *a, const char *in, const char **out)
{
    size_t n;
    const char *s = trim(in, &n);
    char digits[4], letters[2];
    size_t nd = 0, nl = 0, i = 0;
    while (i < n && nd < 4 && is_digit(s[i]))
        digits[nd++] = s[i++];
    while (i < n && is_space(s[i]))
        i++;
    while (i < n && nl < 2 && is_alpha(s[i]))
        letters[nl++] = to_upper(s[i++]);
    if (nd != 4 || nl != 2 || i != n || digits[0] == '0') return MSG_POSTCODE;
    *out = arena_printf(a, "%.4s %c%c", digits, letters[0], letters[1]);
    return NULL;
}

/* ---------------------------------------------------------------- phone */

const char *nl_phone(arena *a, const char *in, const char **out)
{
    size_t n;
    const char *s = trim(in, &n);
    int ndigits = 0, open = 0, pairs = 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (is_digit(c))
            ndigits++;
        else if (c == '+' && i == 0)
            continue;
        else if (c == '(' && !open && !pairs)
            open = 1; /* one pair of brackets, "(0)223" style */
        else if (c == ')' && open) {
            open = 0;
            pairs = 1;
        } else if (c != ' ' && c != '-')
            return MSG_PHONE;
    }
    if (open || ndigits < 10 || ndigits > 15) return MSG_PHONE;
    *out = arena_strndup(a, s, n);
    return NULL;
}

/* --------------------------------------------------------- house number */

/* A house number addition: letters and digits, at most this many. */
#define HOUSE_ADDITION_MAX 8

const char *nl_house_number(arena *a, const char *in, const char **out)
{
    size_t n;
    const char *s = trim(in, &n);
    size_t i = 0;
    while (i < n && is_digit(s[i]))
        i++;
    /* 1..99999: at most five digits and no leading zero */
    if (i == 0 || i > 5 || s[0] == '0') return MSG_HOUSE;
    if (i < n) {
        /* an addition after at most one separator: "12a", "12 bis", "12-2", "12 - 2" */
        while (i < n && s[i] == ' ')
            i++;
        if (i < n && s[i] == '-') i++;
        while (i < n && s[i] == ' ')
            i++;
        size_t start = i;
        while (i < n && (is_alpha(s[i]) || is_digit(s[i])))
            i++;
        if (i == start || i - start > HOUSE_ADDITION_MAX || i != n) return MSG_HOUSE;
    }
    *out = arena_strndup(a, s, n);
    return NULL;
}

/* ----------------------------------------------------------- birth date */

const char *nl_birth_date(const char *iso, const char *today)
{
    if (!iso || !date_valid(iso)) return MSG_DATE;
    if (strcmp(iso, "1900-01-01") < 0) return MSG_TOO_OLD;
    /* ISO dates compare as strings */
    if (today && strcmp(iso, today) > 0) return MSG_FUTURE;
    return NULL;
}

/* ------------------------------------------------------------------ KvK */

const char *nl_kvk(arena *a, const char *in, const char **out)
{
    size_t n;
    const char *s = trim(in, &n);
    char digits[8];
    size_t nd = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == ' ' || s[i] == '.') continue; /* "12 34 56 78" as printed on letters */
        if (!is_digit(s[i]) || nd == sizeof digits) return MSG_KVK;
        digits[nd++] = s[i];
    }
    if (nd != sizeof digits) return MSG_KVK;
    *out = arena_strndup(a, digits, sizeof digits);
    return NULL;
}

/* ----------------------------------------------------------------- name */

/* Letters of the scripts a Dutch customer's name is written in: Latin with
 * all its accented forms, Greek and Cyrillic. Without Unicode tables we
 * take whole blocks and leave out the few symbols inside them. */
static int is_letter(uint32_t cp)
{
    if (cp < 0x80) return is_alpha((char)cp);
    if (cp == 0xAA || cp == 0xB5 || cp == 0xBA) return 1;           /* ª µ º */
    if (cp >= 0xC0 && cp <= 0x24F) return cp != 0xD7 && cp != 0xF7; /* not × ÷ */
    if (cp >= 0x370 && cp <= 0x3FF) return cp != 0x37E && cp != 0x387 && cp != 0x375;
    if (cp >= 0x400 && cp <= 0x52F) return !(cp >= 0x482 && cp <= 0x489);
    if (cp >= 0x1E00 && cp <= 0x1EFF) return 1; /* Latin Extended Additional (Vietnamese) */
    return 0;
}

/* Combining accents (a decomposed "é"), allowed after a letter. */
static int is_combining(uint32_t cp)
{
    return cp >= 0x300 && cp <= 0x36F;
}

/* Apostrophes as keyboards and phones type them: ' and ’ (U+2019). */
static int is_apostrophe(uint32_t cp)
{
    return cp == '\'' || cp == 0x2019;
}

const char *nl_name(arena *a, const char *in, size_t max, const char **out)
{
    size_t n;
    const char *s = trim(in, &n);
    if (n == 0) return MSG_NAME_EMPTY;
    /* runs of white space become one space: the normal form is never
     * longer than the input */
    char *norm = arena_alloc(a, n + 1);
    size_t len = 0;
    int letters = 0, prev_letter = 0;
    for (size_t i = 0; i < n;) {
        size_t k;
        long c = utf8_next((const unsigned char *)s + i, n - i, &k);
        if (c < 0) return MSG_NAME_CHARS;
        uint32_t cp = (uint32_t)c;
        if (cp < 0x80 && is_space((char)cp)) {
            if (len && norm[len - 1] != ' ') norm[len++] = ' ';
            prev_letter = 0;
            i += k;
            continue;
        }
        if (is_letter(cp)) {
            letters++;
            prev_letter = 1;
        } else if (is_combining(cp) && prev_letter) {
            /* stays attached to its letter */
        } else if (is_apostrophe(cp) || cp == '-' || cp == '.') {
            prev_letter = 0;
        } else {
            return MSG_NAME_CHARS;
        }
        memcpy(norm + len, s + i, k);
        len += k;
        i += k;
    }
    norm[len] = '\0';
    if (!letters) return MSG_NAME_CHARS;
    if (len > max) return arena_printf(a, "Gebruik maximaal %zu tekens.", max);
    *out = norm;
    return NULL;
}
