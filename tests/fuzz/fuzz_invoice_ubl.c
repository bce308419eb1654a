/* fuzz_invoice_ubl.c - libFuzzer target for the Dutch e-invoice
 * (invoicing/render.h inv_ubl): whatever names, descriptions, references
 * and amounts an issued invoice holds, its XML stays well-formed.
 *
 * The input: 4 bytes of switches (credit note, organisation, number of
 * lines, VAT rates), 3 amounts of 4 bytes, then texts separated by NUL
 * bytes: party name, description, reference, attention, street, email,
 * KvK number. What inv_ubl writes must be valid UTF-8 without characters
 * XML forbids, every '&' must start an entity it writes, no '<' or '>' may
 * come through as text, and the tags must nest.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/provider.h"
#include "invoicing/render.h"

/* The next NUL-separated text of the input (a copy, NUL-terminated, so
 * ASan sees a read past it), or "" when the input has run out. */
static const char *next_text(arena *a, const uint8_t **p, const uint8_t *end)
{
    const uint8_t *s = *p, *e = s;
    while (e < end && *e)
        e++;
    *p = e < end ? e + 1 : end;
    return arena_strndup(a, (const char *)s, (size_t)(e - s));
}

static long long next_amount(const uint8_t **p, const uint8_t *end)
{
    int32_t v = 0;
    if (end - *p >= 4) {
        memcpy(&v, *p, 4);
        *p += 4;
    }
    return v;
}

/* Strict UTF-8 and only characters XML 1.0 allows; returns the length of
 * the character at s, or 0 when it is not acceptable. */
static size_t char_ok(const unsigned char *s, size_t n)
{
    if (s[0] < 0x80) return (s[0] >= 0x20 || s[0] == 9 || s[0] == 10 || s[0] == 13) ? 1 : 0;
    size_t need = s[0] >= 0xF0 ? 4 : s[0] >= 0xE0 ? 3 : 2;
    if (s[0] < 0xC2 || s[0] > 0xF4 || n < need) return 0;
    long cp = s[0] & (need == 2 ? 0x1F : need == 3 ? 0x0F : 0x07);
    for (size_t i = 1; i < need; i++) {
        if ((s[i] & 0xC0) != 0x80) return 0;
        cp = (cp << 6) | (s[i] & 0x3F);
    }
    long min = need == 2 ? 0x80 : need == 3 ? 0x800 : 0x10000;
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF) || cp == 0xFFFE || cp == 0xFFFF)
        return 0;
    return need;
}

static const char *const entities[] = {"&amp;", "&lt;", "&gt;", "&quot;", "&apos;"};

static int entity_at(const char *s)
{
    for (size_t i = 0; i < sizeof entities / sizeof entities[0]; i++)
        if (strncmp(s, entities[i], strlen(entities[i])) == 0) return (int)strlen(entities[i]);
    return 0;
}

/* Tags hold only what inv_ubl itself writes: ASCII names, attributes and
 * namespace URIs; nothing from the input (which is text) may get in. */
static int tag_char(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           strchr(":=\"./ -_#?", c);
}

/* Checks the document and that its tags nest; aborts otherwise. */
static void check(const char *x, size_t len)
{
    if (strlen(x) != len) abort();
    const char *stack[64];
    size_t stack_len[64];
    int depth = 0;
    size_t i = 0;
    while (i < len) {
        if (x[i] == '<') {
            size_t j = i + 1;
            while (j < len && x[j] != '>') {
                if (!tag_char((unsigned char)x[j]) || x[j] == '<') abort();
                j++;
            }
            if (j == len) abort();
            const char *name = x + i + 1;
            size_t n = strcspn(name, " />");
            if (x[i + 1] == '?') {
                /* the XML declaration */
            } else if (x[i + 1] == '/') {
                n = (size_t)(x + j - (name + 1));
                if (depth == 0 || stack_len[depth - 1] != n ||
                    strncmp(stack[depth - 1], name + 1, n) != 0)
                    abort();
                depth--;
            } else if (x[j - 1] != '/') {
                if (depth == 64 || n == 0) abort();
                stack[depth] = name;
                stack_len[depth++] = n;
            }
            i = j + 1;
        } else if (x[i] == '&') {
            int e = entity_at(x + i);
            if (!e) abort();
            i += (size_t)e;
        } else if (x[i] == '>') {
            abort();
        } else {
            size_t c = char_ok((const unsigned char *)x + i, len - i);
            if (!c) abort();
            i += c;
        }
    }
    if (depth != 0) abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 4) return 0;
    arena *a = arena_new(0);
    const uint8_t *p = data + 4, *end = data + size;
    inv_line lines[3];
    int nlines = 1 + data[2] % 3;
    for (int i = 0; i < 3; i++)
        lines[i] =
            (inv_line){.net_cents = next_amount(&p, end), .vat_rate = (data[3] >> i) & 1 ? 21 : 0};
    inv_invoice inv = {.number = "2026-000123",
                       .invoice_date = "2026-03-02",
                       .due_date = "2026-04-01",
                       .status = "open",
                       .payment_reference = "2026000123",
                       .credit = data[0] & 1,
                       .credit_of_number = "2026-000100",
                       .credit_of_date = "2026-01-15",
                       .seller = {PROVIDER_NAME, PROVIDER_STREET, PROVIDER_POSTCODE, PROVIDER_CITY,
                                  PROVIDER_KVK, PROVIDER_VAT, PROVIDER_IBAN, PROVIDER_EMAIL,
                                  PROVIDER_PHONE},
                       .lines = lines,
                       .nlines = nlines};
    if (data[1] & 1)
        inv.organisation_id = 1;
    else
        inv.person_id = 1;
    inv.party.name = next_text(a, &p, end);
    const char *description = next_text(a, &p, end);
    for (int i = 0; i < 3; i++)
        lines[i].description = description;
    inv.reference = next_text(a, &p, end);
    inv.party.attention = next_text(a, &p, end);
    inv.party.street = next_text(a, &p, end);
    inv.party.house_number = "1";
    inv.party.postcode = "1234 AB";
    inv.party.city = "Plaats";
    inv.party.email = next_text(a, &p, end);
    inv.party.kvk = next_text(a, &p, end);
    inv_totals(&inv);
    size_t len = 0;
    const char *x = inv_ubl(&inv, a, &len);
    if (!x) abort();
    check(x, len);
    arena_free(a);
    return 0;
}
