/* import_check.c - the columns of the CSV import, the header that names
 * them, and the checks of one row that need no database. */
#include <string.h>

#include "core/buf.h"
#include "core/email.h"
#include "core/nlvalid.h"
#include "relations/import_internal.h"

const imp_column imp_columns[N_COLS] = {
    [C_FIRST] = {"voornaam", "", 1, 100, "Tekst", "Jan"},
    [C_INFIX] = {"tussenvoegsel", "tussenvoegsels", 0, 50, "Tekst", "de"},
    [C_LAST] = {"achternaam", "", 1, 100, "Tekst", "Vries"},
    [C_EMAIL] = {"e-mailadres", "email|e-mail|mail", 1, 254,
                 "E-mailadres. Een persoon die al in het portaal staat, wordt hieraan herkend.",
                 "jan.devries@example.nl"},
    [C_ORG] = {"organisatie", "organisatienaam|bedrijf|bedrijfsnaam", 0, 200,
               "Naam. Leeg: alleen de persoon, zonder organisatie.", "Hoveniersbedrijf De Linde"},
    [C_KVK] = {"kvk-nummer", "kvk|kvknr", 0, 20,
               "8 cijfers. Een organisatie die al in het portaal staat, wordt hieraan herkend; "
               "zonder KvK-nummer aan precies dezelfde naam.",
               "12345678"},
    [C_ROLE] = {"rol", "", 0, 20, "medewerker of beheerder. Leeg: medewerker.", "beheerder"},
    [C_TITLE] = {"functie", "", 0, 100, "Tekst", "Teamleider groen"},
};

const csvr_limits imp_limits = {IMP_MAX_BYTES, IMP_MAX_ROWS, 64, IMP_MAX_FIELD};

char *imp_header_key(arena *a, const char *s)
{
    size_t n = strlen(s), k = 0;
    char *out = arena_alloc(a, n + 1);
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c == ' ' || c == '-' || c == '_' || c == '.' || c == '\t') continue;
        out[k++] = (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
    }
    out[k] = '\0';
    return out;
}

/* Is key the column's name or one of its aliases? */
static int names_column(arena *a, const imp_column *col, const char *key)
{
    if (strcmp(imp_header_key(a, col->name), key) == 0) return 1;
    for (const char *p = col->aliases; *p;) {
        size_t len = strcspn(p, "|");
        if (len && strcmp(imp_header_key(a, arena_strndup(a, p, len)), key) == 0) return 1;
        p += len + (p[len] == '|');
    }
    return 0;
}

const char *imp_header_read(arena *a, const csvr_record *h, imp_header *out)
{
    for (int c = 0; c < N_COLS; c++)
        out->at[c] = -1;
    out->ignored = NULL;
    out->nfields = h->n;
    buf ignored;
    buf_init(&ignored, a, 64);
    for (size_t i = 0; i < h->n; i++) {
        const char *key = imp_header_key(a, h->f[i]);
        if (!*key) continue;
        int found = -1;
        for (int c = 0; c < N_COLS && found < 0; c++)
            if (names_column(a, &imp_columns[c], key)) found = c;
        if (found < 0) {
            buf_printf(&ignored, "%s%s", ignored.len ? ", " : "", h->f[i]);
            continue;
        }
        if (out->at[found] >= 0)
            return arena_printf(a, "De kolom \"%s\" staat twee keer in de kopregel.",
                                imp_columns[found].name);
        out->at[found] = (int)i;
    }
    buf missing;
    buf_init(&missing, a, 64);
    int nmissing = 0;
    for (int c = 0; c < N_COLS; c++)
        if (imp_columns[c].required && out->at[c] < 0)
            buf_printf(&missing, "%s%s", nmissing++ ? ", " : "", imp_columns[c].name);
    if (nmissing)
        return arena_printf(a,
                            "De kopregel (de eerste regel van het bestand) mist %s %s. De "
                            "kolommen staan hieronder beschreven.",
                            nmissing == 1 ? "de kolom" : "de kolommen", missing.data);
    if (ignored.len) out->ignored = ignored.data;
    return NULL;
}

/* Without spaces, tabs and no-break spaces at either end. */
static const char *trim(arena *a, const char *s)
{
    size_t n = strlen(s), i = 0;
    for (;;) {
        if (i < n && (s[i] == ' ' || s[i] == '\t'))
            i++;
        else if (i + 1 < n && (unsigned char)s[i] == 0xC2 && (unsigned char)s[i + 1] == 0xA0)
            i += 2;
        else
            break;
    }
    for (;;) {
        if (n > i && (s[n - 1] == ' ' || s[n - 1] == '\t'))
            n--;
        else if (n >= i + 2 && (unsigned char)s[n - 2] == 0xC2 && (unsigned char)s[n - 1] == 0xA0)
            n -= 2;
        else
            break;
    }
    return arena_strndup(a, s + i, n - i);
}

static void refuse(buf *why, const char *reason)
{
    buf_printf(why, "%s%s", why->len ? "; " : "", reason);
}

/* A name part through the portal's one name rule (core/nlvalid.h). */
static void check_name(arena *a, buf *why, const char **v, int col)
{
    const imp_column *c = &imp_columns[col];
    if (!**v) {
        if (c->required) refuse(why, arena_printf(a, "verplicht veld leeg: %s", c->name));
        return;
    }
    const char *norm;
    if (strlen(*v) > c->max)
        refuse(why, arena_printf(a, "%s is te lang (meer dan %zu tekens)", c->name, c->max));
    else if (nl_name(a, *v, c->max, &norm) != NULL)
        refuse(why, arena_printf(a, "%s bevat tekens die niet in een naam horen", c->name));
    else
        *v = norm;
}

static void check_email(arena *a, buf *why, const char **v)
{
    if (!**v) {
        refuse(why, "verplicht veld leeg: e-mailadres");
        return;
    }
    const char *norm = email_normal(a, *v);
    if (!norm)
        refuse(why, arena_printf(a, "e-mailadres ongeldig (%s)", *v));
    else
        *v = norm;
}

static void check_org(arena *a, buf *why, const char **v)
{
    const char *org = v[C_ORG];
    if (strlen(org) > imp_columns[C_ORG].max)
        refuse(why, arena_printf(a, "organisatie is te lang (meer dan %zu tekens)",
                                 imp_columns[C_ORG].max));
    if (*v[C_KVK]) {
        const char *kvk;
        if (nl_kvk(a, v[C_KVK], &kvk) == NULL)
            v[C_KVK] = kvk;
        else if (strspn(v[C_KVK], "0123456789") == 7 && !v[C_KVK][7])
            refuse(why, "KvK-nummer heeft 7 cijfers in plaats van 8 (heeft Excel de 0 vooraan "
                        "weggelaten? Maak de kolom dan eerst tekst)");
        else
            refuse(why, "KvK-nummer ongeldig (8 cijfers)");
    }
    if (strcmp(v[C_ROLE], "medewerker") != 0 && strcmp(v[C_ROLE], "beheerder") != 0 && *v[C_ROLE])
        refuse(why, arena_printf(a, "onbekende rol \"%s\" (medewerker of beheerder)", v[C_ROLE]));
    if (strlen(v[C_TITLE]) > imp_columns[C_TITLE].max)
        refuse(why, arena_printf(a, "functie is te lang (meer dan %zu tekens)",
                                 imp_columns[C_TITLE].max));
    if (!*org) {
        if (*v[C_KVK]) refuse(why, "KvK-nummer zonder organisatie");
        if (*v[C_ROLE]) refuse(why, "rol zonder organisatie");
        if (*v[C_TITLE]) refuse(why, "functie zonder organisatie");
    } else if (!*v[C_ROLE]) {
        v[C_ROLE] = "medewerker";
    }
}

static char *lower(arena *a, const char *s)
{
    char *out = arena_strdup(a, s);
    for (char *p = out; *p; p++)
        if (*p >= 'A' && *p <= 'Z') *p = (char)(*p - 'A' + 'a');
    return out;
}

void imp_check_row(arena *a, const imp_header *h, const csvr_record *rec, imp_row *out)
{
    memset(out, 0, sizeof *out);
    out->line = rec->line;
    buf why;
    buf_init(&why, a, 64);
    for (int c = 0; c < N_COLS; c++) {
        int at = h->at[c];
        out->v[c] = at >= 0 && (size_t)at < rec->n ? trim(a, rec->f[at]) : "";
        if (strpbrk(out->v[c], "\r\n"))
            refuse(&why, arena_printf(a, "%s bevat een regelovergang", imp_columns[c].name));
    }
    /* fewer fields is fine (trailing empty cells); more that hold text
     * means the separator or the quotes went wrong on this line */
    for (size_t i = h->nfields; i < rec->n; i++)
        if (*trim(a, rec->f[i])) {
            refuse(&why,
                   arena_printf(a, "de regel heeft meer velden dan de kopregel (%zu tegen %zu)",
                                rec->n, h->nfields));
            break;
        }
    if (why.len) {
        out->refused = why.data;
        return;
    }
    out->v[C_ROLE] = lower(a, out->v[C_ROLE]);
    check_name(a, &why, &out->v[C_FIRST], C_FIRST);
    check_name(a, &why, &out->v[C_INFIX], C_INFIX);
    check_name(a, &why, &out->v[C_LAST], C_LAST);
    check_email(a, &why, &out->v[C_EMAIL]);
    check_org(a, &why, out->v);
    if (why.len) out->refused = why.data;
}
