/* Unit tests: the Dutch e-invoice. Issued copies built by hand (an
 * organisation with an exempt line, a person with a 21 % line, both rates
 * on one invoice, a credit note, a name with markup characters and broken
 * UTF-8) are written as UBL and checked element by element, then run
 * through the EN 16931 validator (../shared/einvoice/validate or
 * $KP_EINVOICE_VALIDATE), which must find no fatal rule failed. Without the
 * validator that one check is skipped, saying so. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/provider.h"
#include "invoicing/render.h"
#include "invoicing/ubl.h"

static const inv_seller provider = {PROVIDER_NAME, PROVIDER_STREET, PROVIDER_POSTCODE,
                                    PROVIDER_CITY, PROVIDER_KVK,    PROVIDER_VAT,
                                    PROVIDER_IBAN, PROVIDER_EMAIL,  PROVIDER_PHONE};

static inv_invoice base(const char *number, inv_line *lines, int n)
{
    inv_invoice inv = {.number = number,
                       .invoice_date = "2026-03-02",
                       .due_date = "2026-04-01",
                       .status = "open",
                       .reference = "",
                       .payment_reference = "2026000123",
                       .seller = provider,
                       .lines = lines,
                       .nlines = n};
    inv_totals(&inv);
    return inv;
}

static inv_party municipality(void)
{
    return (inv_party){.name = "Gemeente Heerhugowaard",
                       .attention = "t.a.v. Crediteurenadministratie",
                       .street = "Parelweg",
                       .house_number = "2",
                       .postcode = "1702 BT",
                       .city = "Heerhugowaard",
                       .kvk = "34372349",
                       .email = "facturen@heerhugowaard.nl"};
}

static inv_party person(void)
{
    return (inv_party){.name = "Deby de Vries",
                       .attention = "",
                       .street = "Zeeweg",
                       .house_number = "12a",
                       .postcode = "1781 AB",
                       .city = "Den Helder",
                       .kvk = "",
                       .email = "deby@example.nl"};
}

static void has(const char *xml, const char *needle)
{
    if (!strstr(xml, needle)) fail_msg("missing %s in:\n%s", needle, xml);
}

static void lacks(const char *xml, const char *needle)
{
    if (strstr(xml, needle)) fail_msg("unexpected %s in:\n%s", needle, xml);
}

/* The validator's path, or NULL when this machine has none. */
static const char *validator(void)
{
    const char *v = getenv("KP_EINVOICE_VALIDATE");
    if (v && *v) return access(v, X_OK) == 0 ? v : NULL;
    if (access("../shared/einvoice/validate", X_OK) != 0) return NULL;
    if (access("/usr/share/java/Saxon-HE.jar", R_OK) != 0) return NULL;
    return "../shared/einvoice/validate";
}

/* A validator run: the document in a file, the validator reading it. */
typedef struct run {
    const char *name;
    char path[32];
    FILE *out;
} run;

static void start(run *r, const char *v, const char *name, const char *xml, size_t len)
{
    r->name = name;
    strcpy(r->path, "/tmp/kp-test-ubl-XXXXXX");
    int fd = mkstemp(r->path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, xml, len), (ssize_t)len);
    close(fd);
    char cmd[512];
    snprintf(cmd, sizeof cmd, "%s %s 2>&1", v, r->path);
    r->out = popen(cmd, "r");
    assert_non_null(r->out);
}

/* Prints the validator's report (warnings too); 1 when no fatal rule
 * failed. */
static int finish(run *r)
{
    char line[2048];
    print_message("validator on %s:\n", r->name);
    while (fgets(line, sizeof line, r->out))
        print_message("  %s", line);
    int status = pclose(r->out);
    unlink(r->path);
    if (status != 0) print_message("  FAILED (status %d)\n", status);
    return status == 0;
}

static const char *org_exempt(arena *a, size_t *len)
{
    static inv_line l[] = {
        {"Training Omgaan met agressie, 12-03-2026, Deby de Vries", 39500, 0, 7, 3}};
    inv_invoice inv = base("2026-000123", l, 1);
    inv.organisation_id = 4;
    inv.party = municipality();
    inv.reference = "PO-4711";
    return inv_ubl(&inv, a, len);
}

static void organisation_exempt(void **state)
{
    (void)state;
    arena *a = arena_new(0);
    size_t len = 0;
    const char *x = org_exempt(a, &len);
    assert_int_equal(len, strlen(x));
    has(x, "<Invoice xmlns=\"urn:oasis:names:specification:ubl:schema:xsd:Invoice-2\"");
    has(x, "<cbc:CustomizationID>urn:cen.eu:en16931:2017#compliant#urn:fdc:nen.nl:nlcius:v1.0"
           "</cbc:CustomizationID>");
    has(x, "<cbc:ID>2026-000123</cbc:ID><cbc:IssueDate>2026-03-02</cbc:IssueDate>"
           "<cbc:DueDate>2026-04-01</cbc:DueDate><cbc:InvoiceTypeCode>380</cbc:InvoiceTypeCode>");
    has(x, "<cbc:BuyerReference>PO-4711</cbc:BuyerReference>");
    /* the provider: KvK as endpoint and legal id, VAT number, Dutch address */
    has(x, "<cbc:EndpointID schemeID=\"0106\">37095212</cbc:EndpointID>");
    has(x, "<cbc:CompanyID>NL809521234B01</cbc:CompanyID>");
    has(x, "<cbc:StreetName>Kievitstraat 31</cbc:StreetName><cbc:CityName>Den Helder"
           "</cbc:CityName><cbc:PostalZone>1782 GA</cbc:PostalZone>");
    has(x, "<cbc:Telephone>0223-611310</cbc:Telephone>");
    /* the municipality by its KvK number, its invoice email, t.a.v. */
    has(x, "<cbc:EndpointID schemeID=\"0106\">34372349</cbc:EndpointID>");
    has(x, "<cbc:RegistrationName>Gemeente Heerhugowaard</cbc:RegistrationName>"
           "<cbc:CompanyID schemeID=\"0106\">34372349</cbc:CompanyID>");
    has(x, "<cbc:StreetName>Parelweg 2</cbc:StreetName>");
    has(x, "<cbc:Name>t.a.v. Crediteurenadministratie</cbc:Name>"
           "<cbc:ElectronicMail>facturen@heerhugowaard.nl</cbc:ElectronicMail>");
    /* paid by transfer to the provider's account */
    has(x, "<cbc:PaymentMeansCode>30</cbc:PaymentMeansCode><cbc:PaymentID>2026000123"
           "</cbc:PaymentID><cac:PayeeFinancialAccount><cbc:ID>NL91ABNA0417164300</cbc:ID>");
    has(x, "<cbc:ID>ABNANL2A</cbc:ID>");
    has(x, "uiterlijk 01-04-2026");
    /* exempt: category E with the reason, no VAT */
    has(x, "<cac:TaxTotal><cbc:TaxAmount currencyID=\"EUR\">0.00</cbc:TaxAmount><cac:TaxSubtotal>"
           "<cbc:TaxableAmount currencyID=\"EUR\">395.00</cbc:TaxableAmount>");
    has(x, "<cbc:ID>E</cbc:ID><cbc:Percent>0</cbc:Percent><cbc:TaxExemptionReason>"
           "Vrijgesteld van btw, art. 11 lid 1 onder o Wet OB</cbc:TaxExemptionReason>");
    has(x, "<cbc:PayableAmount currencyID=\"EUR\">395.00</cbc:PayableAmount>");
    has(x, "<cac:InvoiceLine><cbc:ID>1</cbc:ID><cbc:InvoicedQuantity unitCode=\"C62\">1"
           "</cbc:InvoicedQuantity><cbc:LineExtensionAmount currencyID=\"EUR\">395.00");
    has(x, "<cbc:PriceAmount currencyID=\"EUR\">395.00</cbc:PriceAmount>");
    lacks(x, "CreditNote");
    arena_free(a);
}

static const char *person_21(arena *a, size_t *len)
{
    static inv_line l[] = {{"Workshop Presenteren, 20-03-2026", 7851, 21, 9, 5}};
    inv_invoice inv = base("2026-000124", l, 1);
    inv.person_id = 12;
    inv.party = person();
    return inv_ubl(&inv, a, len);
}

static void person_standard_rate(void **state)
{
    (void)state;
    arena *a = arena_new(0);
    size_t len = 0;
    const char *x = person_21(a, &len);
    /* no reference of their own: our number routes it */
    has(x, "<cbc:BuyerReference>2026-000124</cbc:BuyerReference>");
    /* a person: name and address, no endpoint, no legal id, no contact */
    has(x, "<cac:AccountingCustomerParty><cac:Party><cac:PartyName><cbc:Name>Deby de Vries");
    has(x, "<cbc:StreetName>Zeeweg 12a</cbc:StreetName>");
    has(x, "<cac:PartyLegalEntity><cbc:RegistrationName>Deby de Vries</cbc:RegistrationName>"
           "</cac:PartyLegalEntity></cac:Party></cac:AccountingCustomerParty>");
    lacks(x, "deby@example.nl");
    has(x, "<cbc:TaxAmount currencyID=\"EUR\">16.49</cbc:TaxAmount>");
    has(x, "<cbc:ID>S</cbc:ID><cbc:Percent>21</cbc:Percent><cac:TaxScheme>");
    lacks(x, "TaxExemptionReason");
    has(x, "<cbc:TaxExclusiveAmount currencyID=\"EUR\">78.51</cbc:TaxExclusiveAmount>"
           "<cbc:TaxInclusiveAmount currencyID=\"EUR\">95.00</cbc:TaxInclusiveAmount>");
    arena_free(a);
}

static const char *mixed(arena *a, size_t *len)
{
    static inv_line l[] = {{"Training BHV, Ann", 25000, 0, 1, 1},
                           {"Lunch bij de training", 1500, 21, 0, 1},
                           {"Training BHV, Piet", 25000, 0, 2, 1}};
    inv_invoice inv = base("2026-000125", l, 3);
    inv.organisation_id = 5;
    inv.party = municipality();
    inv.party.kvk = ""; /* no KvK number known: reached by email */
    return inv_ubl(&inv, a, len);
}

static void both_rates(void **state)
{
    (void)state;
    arena *a = arena_new(0);
    size_t len = 0;
    const char *x = mixed(a, &len);
    has(x, "<cbc:EndpointID schemeID=\"EM\">facturen@heerhugowaard.nl</cbc:EndpointID>");
    lacks(x, "34372349");
    has(x, "<cbc:TaxAmount currencyID=\"EUR\">3.15</cbc:TaxAmount><cac:TaxSubtotal>"
           "<cbc:TaxableAmount currencyID=\"EUR\">500.00</cbc:TaxableAmount>"
           "<cbc:TaxAmount currencyID=\"EUR\">0.00</cbc:TaxAmount>");
    has(x, "<cbc:TaxableAmount currencyID=\"EUR\">15.00</cbc:TaxableAmount>"
           "<cbc:TaxAmount currencyID=\"EUR\">3.15</cbc:TaxAmount>");
    has(x, "<cbc:PayableAmount currencyID=\"EUR\">518.15</cbc:PayableAmount>");
    has(x, "<cac:InvoiceLine><cbc:ID>3</cbc:ID>");
    arena_free(a);
}

static const char *credit(arena *a, size_t *len)
{
    static inv_line l[] = {{"Creditering: Workshop Presenteren, 20-03-2026", -7851, 21, 9, 5}};
    inv_invoice inv = base("2026-000130", l, 1);
    inv.credit = 1;
    inv.credit_of_number = "2026-000124";
    inv.credit_of_date = "2026-03-02";
    inv.person_id = 12;
    inv.party = person();
    return inv_ubl(&inv, a, len);
}

static void credit_note(void **state)
{
    (void)state;
    arena *a = arena_new(0);
    size_t len = 0;
    const char *x = credit(a, &len);
    has(x, "<CreditNote xmlns=\"urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2\"");
    has(x, "<cbc:CreditNoteTypeCode>381</cbc:CreditNoteTypeCode>");
    lacks(x, "<cbc:DueDate>");
    has(x, "<cac:BillingReference><cac:InvoiceDocumentReference><cbc:ID>2026-000124</cbc:ID>"
           "<cbc:IssueDate>2026-03-02</cbc:IssueDate></cac:InvoiceDocumentReference>");
    has(x, "<cbc:PaymentMeansCode>30</cbc:PaymentMeansCode><cbc:PaymentDueDate>2026-04-01"
           "</cbc:PaymentDueDate>");
    /* the stored negative amounts, positive */
    has(x, "<cbc:TaxAmount currencyID=\"EUR\">16.49</cbc:TaxAmount>");
    has(x, "<cbc:PayableAmount currencyID=\"EUR\">95.00</cbc:PayableAmount>");
    has(x, "<cac:CreditNoteLine><cbc:ID>1</cbc:ID><cbc:CreditedQuantity unitCode=\"C62\">1"
           "</cbc:CreditedQuantity><cbc:LineExtensionAmount currencyID=\"EUR\">78.51");
    lacks(x, ">-");
    lacks(x, "InvoiceLine");
    arena_free(a);
}

static const char *markup(arena *a, size_t *len)
{
    static inv_line l[] = {
        {"Cursus <b>\"Zorg & welzijn\"</b> 'basis' \x01\x7f\xff", 10000, 0, 0, 0}};
    inv_invoice inv = base("2026-000126", l, 1);
    inv.organisation_id = 6;
    inv.party = municipality();
    inv.party.name = "Stichting Zorg & Co <Łódź> ‘Ærø’";
    inv.reference = "A&B<1>";
    return inv_ubl(&inv, a, len);
}

static void markup_and_utf8_in_names(void **state)
{
    (void)state;
    arena *a = arena_new(0);
    size_t len = 0;
    const char *x = markup(a, &len);
    has(x, "<cbc:RegistrationName>Stichting Zorg &amp; Co &lt;Łódź&gt; ‘Ærø’"
           "</cbc:RegistrationName>");
    has(x, "<cbc:BuyerReference>A&amp;B&lt;1&gt;</cbc:BuyerReference>");
    /* the control characters left out, the broken byte replaced */
    has(x, "<cbc:Name>Cursus &lt;b&gt;&quot;Zorg &amp; welzijn&quot;&lt;/b&gt; &apos;basis&apos; "
           "\x7f\xEF\xBF\xBD</cbc:Name>");
    lacks(x, "\x01");
    arena_free(a);
}

static const char *xml_text(arena *a, const char *s, size_t n)
{
    buf b;
    buf_init(&b, a, 16);
    inv_xml_text(&b, s, n);
    return b.data;
}

static void xml_text_escapes_and_repairs(void **state)
{
    (void)state;
    arena *a = arena_new(0);
    assert_string_equal(xml_text(a, "a&b<c>d\"e'f", 11), "a&amp;b&lt;c&gt;d&quot;e&apos;f");
    /* tab, newline and carriage return stay; other controls go */
    assert_string_equal(xml_text(a, "a\tb\nc\rd\x01\x1f\x0b", 10), "a\tb\nc\rd");
    /* an embedded NUL is a control character too */
    assert_string_equal(xml_text(a, "a\0b", 3), "ab");
    /* two, three and four byte characters pass */
    assert_string_equal(xml_text(a, "é€😀", strlen("é€😀")), "é€😀");
    /* a stray continuation byte, a lead byte cut short, an overlong '/',
     * a surrogate, a code point past U+10FFFF, 0xFE: each a U+FFFD */
    assert_string_equal(xml_text(a, "\x80", 1), "\xEF\xBF\xBD");
    assert_string_equal(xml_text(a, "x\xC3", 2), "x\xEF\xBF\xBD");
    assert_string_equal(xml_text(a, "\xE2\x82y", 3), "\xEF\xBF\xBD\xEF\xBF\xBDy");
    assert_string_equal(xml_text(a, "\xC0\xAF", 2), "\xEF\xBF\xBD\xEF\xBF\xBD");
    assert_string_equal(xml_text(a, "\xED\xA0\x80", 3), "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");
    assert_string_equal(xml_text(a, "\xF4\x90\x80\x80", 4),
                        "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");
    assert_string_equal(xml_text(a, "\xFE", 1), "\xEF\xBF\xBD");
    /* U+FFFE and U+FFFF are not XML characters */
    assert_string_equal(xml_text(a, "a\xEF\xBF\xBE\xEF\xBF\xBF", 7), "a");
    assert_string_equal(xml_text(a, "", 0), "");
    arena_free(a);
}

/* Every fixture through the EN 16931 rules, the runs side by side (the
 * validator starts a Java machine for each: seconds apiece). */
static void validator_finds_no_fatal_rule(void **state)
{
    (void)state;
    const char *v = validator();
    if (!v) {
        print_message("skipped: validator not found (../shared/einvoice/validate or "
                      "$KP_EINVOICE_VALIDATE, with /usr/share/java/Saxon-HE.jar)\n");
        skip();
    }
    static const struct {
        const char *name;
        const char *(*make)(arena *, size_t *);
    } fx[] = {{"organisation, exempt", org_exempt},
              {"person, 21 %", person_21},
              {"organisation without KvK, both rates", mixed},
              {"credit note", credit},
              {"markup and UTF-8", markup}};
    enum { N = sizeof fx / sizeof fx[0] };
    arena *a = arena_new(0);
    run runs[N];
    int ok = 0;
    /* two at a time: one Java machine per core is what a test box has */
    for (int i = 0; i < N + 2; i++) {
        if (i >= 2) ok += finish(&runs[i - 2]);
        if (i < N) {
            size_t len = 0;
            const char *x = fx[i].make(a, &len);
            start(&runs[i], v, fx[i].name, x, len);
        }
    }
    arena_free(a);
    assert_int_equal(ok, N);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(xml_text_escapes_and_repairs),
        cmocka_unit_test(organisation_exempt),
        cmocka_unit_test(person_standard_rate),
        cmocka_unit_test(both_rates),
        cmocka_unit_test(credit_note),
        cmocka_unit_test(markup_and_utf8_in_names),
        cmocka_unit_test(validator_finds_no_fatal_rule),
    };
    return cmocka_run_group_tests(tests, 0, 0);
}
