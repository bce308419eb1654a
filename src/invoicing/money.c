/* money.c - the pure arithmetic and wording of invoices (see store.h):
 * VAT per rate, totals, the shown status, the number's shape. No database, no state. */
#include <stdio.h>
#include <string.h>

#include "invoicing/store.h"

/* cents * rate / 100, rounded half away from zero. */
static long long vat_of(long long net, int rate)
{
    long long x = net * rate;
    long long q = x / 100, r = x % 100;
    if (r >= 50) q++;
    if (r <= -50) q--;
    return q;
}

void inv_totals(inv_invoice *inv)
{
    inv->nvats = 0;
    inv->net_cents = inv->vat_cents = 0;
    for (int i = 0; i < inv->nlines; i++) {
        const inv_line *l = &inv->lines[i];
        int k = 0;
        while (k < inv->nvats && inv->vats[k].rate != l->vat_rate)
            k++;
        if (k == inv->nvats) {
            if (inv->nvats == INV_RATES) continue; /* the schema allows no other rate */
            inv->vats[k] = (inv_vat){.rate = l->vat_rate};
            inv->nvats++;
        }
        inv->vats[k].net_cents += l->net_cents;
        inv->net_cents += l->net_cents;
    }
    for (int i = 1; i < inv->nvats; i++) /* ascending rate: at most three */
        for (int k = i; k > 0 && inv->vats[k - 1].rate > inv->vats[k].rate; k--) {
            inv_vat t = inv->vats[k];
            inv->vats[k] = inv->vats[k - 1];
            inv->vats[k - 1] = t;
        }
    for (int k = 0; k < inv->nvats; k++) {
        inv->vats[k].vat_cents = vat_of(inv->vats[k].net_cents, inv->vats[k].rate);
        inv->vat_cents += inv->vats[k].vat_cents;
    }
    inv->total_cents = inv->net_cents + inv->vat_cents;
}

const char *inv_status_shown(const char *kind, const char *status, const char *due_date,
                             const char *today)
{
    int credit = kind && strcmp(kind, "creditnota") == 0;
    if (strcmp(status, "betaald") == 0) return credit ? "verrekend" : "betaald";
    if (credit) return "open";
    if (due_date && today && strcmp(due_date, today) < 0) return "vervallen";
    return "open";
}

int inv_number_valid(const char *s)
{
    if (!s || strlen(s) != 11 || s[4] != '-') return 0;
    for (int i = 0; i < 11; i++)
        if (i != 4 && (s[i] < '0' || s[i] > '9')) return 0;
    return 1;
}
