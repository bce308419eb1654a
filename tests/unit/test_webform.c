/* test_webform.c - one form description gives the declared inputs, the
 * checks with their Dutch messages, the kept values and the markup of the
 * error pattern (summary with links, message under the label). Runs from
 * the repository root (the templates are read from templates/). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "http/http.h"
#include "web/flash.h"
#include "web/webform.h"

static const wf_field fields[] = {
    {"voornaam", "Voornaam", WF_NAME, 100, "Vul uw voornaam in.", NULL, "given-name", 0, NULL},
    {"postcode", "Postcode", WF_POSTCODE, 10, NULL, "Bijvoorbeeld 1234 AB", "postal-code", 7,
     "Adres"},
    {"email", "E-mailadres", WF_EMAIL, 254, NULL, NULL, "email", 0, NULL},
    {"geboortedatum", "Geboortedatum", WF_BIRTH, 10, NULL, NULL, "bday", 10, NULL},
};
static const webform form = WEBFORM(fields);

static const field_spec extra[] = {{"terug", IN_QUERY, FK_LINE, 500}, {NULL, 0, 0, 0}};

/* A request whose body held these pairs, filtered as the server does. */
static http_req *post(arena *a, const field_spec *spec, const char *const *pairs)
{
    http_req *rq = arena_zalloc(a, sizeof *rq);
    rq->a = a;
    for (size_t i = 0; pairs[i]; i += 2)
        kv_add(&rq->form, a, pairs[i], pairs[i + 1], strlen(pairs[i + 1]));
    input_filter(a, spec, &rq->query, &rq->form, &rq->in, &rq->errors);
    return rq;
}

static void test_spec_from_form(void **state)
{
    (void)state;
    field_spec spec[8];
    assert_int_equal(webform_spec(&form, extra, spec, 8), 0);
    assert_string_equal(spec[0].name, "voornaam");
    assert_int_equal(spec[0].kind, FK_LINE);
    assert_int_equal(spec[0].maxlen, 100);
    assert_int_equal(spec[2].kind, FK_EMAIL);
    assert_int_equal(spec[3].kind, FK_DATE);
    assert_string_equal(spec[4].name, "terug");
    assert_null(spec[5].name);
    assert_int_equal(webform_spec(&form, extra, spec, 5), -1);
    /* at registration, a form that does not fit stops the program */
    router *r = router_new();
    assert_int_equal(webform_spec_for(r, &form, extra, spec, 8), 0);
    assert_null(router_error(r));
    assert_int_equal(webform_spec_for(r, &form, extra, spec, 5), -1);
    assert_non_null(router_error(r));
    router_free(r);
}

static void test_read_checks_and_normalises(void **state)
{
    (void)state;
    arena *a = arena_new(0);
    field_spec spec[8];
    webform_spec(&form, NULL, spec, 8);
    const char *ok[] = {
        "voornaam",      " Deby ",     "postcode", "1234ab",    "email", "Deby@Example.NL",
        "geboortedatum", "17-05-1980", "rol",      "beheerder", NULL};
    http_req *rq = post(a, spec, ok);
    wf_values *v = webform_read(rq, &form);
    assert_int_equal(v->nerrors, 0);
    assert_string_equal(v->value[0], "Deby");
    assert_string_equal(v->value[1], "1234 AB");
    assert_string_equal(v->value[2], "deby@example.nl");
    assert_string_equal(v->value[3], "1980-05-17");
    /* undeclared fields never reach the form */
    assert_null(req_in(rq, "rol"));

    const char *bad[] = {"voornaam", "", "postcode", "0123 AB", "email", "geen-adres", NULL};
    rq = post(a, spec, bad);
    v = webform_read(rq, &form);
    assert_int_equal(v->nerrors, 3);
    assert_string_equal(v->error[0], "Vul uw voornaam in.");
    assert_non_null(v->error[1]);
    assert_string_equal(v->error[2], "Vul een geldig e-mailadres in.");
    assert_null(v->error[3]);
    /* what was typed is shown again */
    assert_string_equal(v->shown[1], "0123 AB");
    assert_string_equal(v->shown[2], "geen-adres");

    webform_fail(v, &form, "geboortedatum", "Vul ook uw geboortedatum in.");
    webform_fail(v, &form, "geboortedatum", "Vul ook uw geboortedatum in.");
    assert_int_equal(v->nerrors, 4);
    webform_fail(v, &form, "bestaat-niet", "x");
    assert_int_equal(v->nerrors, 4);
    arena_free(a);
}

static void test_markup_of_errors(void **state)
{
    (void)state;
    arena *a = arena_new(0);
    field_spec spec[8];
    webform_spec(&form, NULL, spec, 8);
    const char *bad[] = {"voornaam", "", "postcode", "<b>1234</b>", NULL};
    http_req *rq = post(a, spec, bad);
    wf_values *v = webform_read(rq, &form);
    tmpl_set *t = tmpl_set_new();
    char err[256];
    assert_int_equal(tmpl_load_dir(t, "templates", err, sizeof err), 0);
    tv *ctx = tv_obj(a);
    webform_put(rq, ctx, &form, v);
    buf out;
    buf_init(&out, a, 1024);
    assert_int_equal(tmpl_render(t, "partials/error_summary", ctx, &out), 0);
    assert_int_equal(tmpl_render(t, "partials/form_fields", ctx, &out), 0);
    const char *html = out.data;
    assert_non_null(strstr(html, "Er is een probleem"));
    assert_non_null(strstr(html, "<a href=\"#f-voornaam\">Voornaam: Vul uw voornaam in.</a>"));
    assert_non_null(strstr(html, "aria-describedby=\"f-postcode-hint f-postcode-fout\""));
    assert_non_null(strstr(html, "class=\"w-s\""));
    /* beside optional fields, a required one says so in its label */
    assert_non_null(strstr(html, "Voornaam <span class=\"req\">(verplicht)</span></label>"));
    assert_null(strstr(html, "Postcode <span class=\"req\">"));
    assert_non_null(strstr(html, "value=\"&lt;b&gt;1234&lt;/b&gt;\""));
    assert_null(strstr(html, "<b>1234"));
    /* a field of a group stands in its fieldset */
    assert_non_null(strstr(html, "<fieldset class=\"group\"><legend>Adres</legend>"));
    assert_true(strstr(html, "<legend>Adres</legend>") < strstr(html, "id=\"f-postcode\""));
    assert_true(strstr(html, "</fieldset>") > strstr(html, "id=\"f-postcode\""));
    assert_true(strstr(html, "</fieldset>") < strstr(html, "id=\"f-email\""));
    /* the message comes before the input, right under the label */
    assert_true(strstr(html, "id=\"f-voornaam-fout\"") < strstr(html, "id=\"f-voornaam\" "));
    tmpl_set_free(t);
    arena_free(a);
}

/* A login form: every field required, a password among them. */
static const wf_field login_fields[] = {
    {"gebruikersnaam", "Gebruikersnaam", WF_USERNAME, 254, "Vul uw gebruikersnaam in.",
     "Uw e-mailadres", "username", 0, NULL},
    {"wachtwoord", "Wachtwoord", WF_PASSWORD, 256, "Vul uw wachtwoord in.", NULL,
     "current-password", 0, NULL},
};
static const webform login_form = WEBFORM(login_fields);

static void test_password_and_username(void **state)
{
    (void)state;
    arena *a = arena_new(0);
    field_spec spec[4];
    assert_int_equal(webform_spec(&login_form, NULL, spec, 4), 0);
    /* a password is text: never trimmed by the input filter */
    assert_int_equal(spec[0].kind, FK_LINE);
    assert_int_equal(spec[1].kind, FK_TEXT);
    assert_int_equal(spec[1].maxlen, 256);

    const char *typed[] = {"gebruikersnaam", " Jan.DeVries@Example.NL ", "wachtwoord",
                           " Geheim <b>1</b> ", NULL};
    http_req *rq = post(a, spec, typed);
    wf_values *v = webform_read(rq, &login_form);
    assert_int_equal(v->nerrors, 0);
    assert_string_equal(v->value[0], "jan.devries@example.nl");
    assert_string_equal(v->value[1], " Geheim <b>1</b> ");
    /* kept for the form: the name as typed, the password never */
    assert_string_equal(v->shown[0], " Jan.DeVries@Example.NL ");
    assert_null(v->shown[1]);

    /* not an address: no verdict here, the login answers it as any wrong name */
    const char *odd[] = {"gebruikersnaam", "jan", NULL};
    v = webform_read(post(a, spec, odd), &login_form);
    assert_int_equal(v->nerrors, 1);
    assert_null(v->error[0]);
    assert_string_equal(v->value[0], "jan");
    assert_string_equal(v->error[1], "Vul uw wachtwoord in.");

    /* even a value a handler put there is not written into the page */
    v->shown[1] = "Geheim!2026";
    webform_fail(v, &login_form, "wachtwoord", "Gebruikersnaam of wachtwoord onjuist.");
    tmpl_set *t = tmpl_set_new();
    char err[256];
    assert_int_equal(tmpl_load_dir(t, "templates", err, sizeof err), 0);
    tv *ctx = tv_obj(a);
    webform_put(rq, ctx, &login_form, v);
    buf out;
    buf_init(&out, a, 1024);
    assert_int_equal(tmpl_render(t, "partials/error_summary", ctx, &out), 0);
    assert_int_equal(tmpl_render(t, "partials/form_fields", ctx, &out), 0);
    const char *html = out.data;
    assert_null(strstr(html, "Geheim"));
    assert_non_null(
        strstr(html, "id=\"f-wachtwoord\" name=\"wachtwoord\" type=\"password\" value=\"\""));
    assert_non_null(strstr(html, "autocomplete=\"current-password\""));
    assert_non_null(strstr(html, "name=\"gebruikersnaam\" type=\"email\""));
    assert_non_null(strstr(
        html, "<a href=\"#f-wachtwoord\">Wachtwoord: Gebruikersnaam of wachtwoord onjuist."));
    /* every field is required: none is marked, the inputs still say so */
    assert_null(strstr(html, "(verplicht)"));
    assert_non_null(strstr(html, " required"));
    tmpl_set_free(t);
    arena_free(a);
}

/* Choosing a password: the rules stand with the new one, not with its repeat. */
static const wf_field choose_fields[] = {
    {"wachtwoord", "Nieuw wachtwoord", WF_NEW_PASSWORD, 256, "Vul een nieuw wachtwoord in.", NULL,
     "new-password", 0, NULL},
    {"wachtwoord_bevestiging", "Bevestig wachtwoord", WF_PASSWORD, 256,
     "Vul het wachtwoord nogmaals in.", NULL, "new-password", 0, NULL},
};
static const webform choose_form = WEBFORM(choose_fields);

static void test_new_password_rules(void **state)
{
    (void)state;
    arena *a = arena_new(0);
    field_spec spec[4];
    assert_int_equal(webform_spec(&choose_form, NULL, spec, 4), 0);
    assert_int_equal(spec[0].kind, FK_TEXT);
    const char *typed[] = {"wachtwoord", "kort", "wachtwoord_bevestiging", "kort", NULL};
    http_req *rq = post(a, spec, typed);
    wf_values *v = webform_read(rq, &choose_form);
    assert_string_equal(v->value[0], "kort");
    assert_null(v->shown[0]);
    assert_null(v->shown[1]);
    const char *broken[] = {"Gebruik minimaal 8 tekens.", "Gebruik tekens uit drie groepen."};
    webform_fail_all(rq, v, &choose_form, "wachtwoord", broken, 0);
    assert_int_equal(v->nerrors, 0);
    webform_fail_all(rq, v, &choose_form, "wachtwoord", broken, 2);
    assert_int_equal(v->nerrors, 1);
    assert_string_equal(v->error[0], "Gebruik minimaal 8 tekens. Gebruik tekens uit drie groepen.");
    tmpl_set *t = tmpl_set_new();
    char err[256];
    assert_int_equal(tmpl_load_dir(t, "templates", err, sizeof err), 0);
    tv *ctx = tv_obj(a);
    webform_put(rq, ctx, &choose_form, v);
    buf out;
    buf_init(&out, a, 1024);
    assert_int_equal(tmpl_render(t, "partials/form_fields", ctx, &out), 0);
    const char *html = out.data;
    assert_null(strstr(html, "kort"));
    const char *rules = strstr(html, "id=\"wachtwoord-eisen\"");
    assert_non_null(rules);
    assert_null(strstr(rules + 1, "id=\"wachtwoord-eisen\""));
    /* under the label of the new password, before its input, which points to it */
    assert_true(strstr(html, "<label for=\"f-wachtwoord\">") < rules);
    assert_true(rules < strstr(html, "id=\"f-wachtwoord\" "));
    assert_non_null(strstr(html, "aria-describedby=\"wachtwoord-eisen f-wachtwoord-fout\""));
    assert_non_null(strstr(html, "id=\"f-wachtwoord_bevestiging\" name=\"wachtwoord_bevestiging\" "
                                 "type=\"password\" value=\"\""));
    tmpl_set_free(t);
    arena_free(a);
}

static void test_flash_keys(void **state)
{
    (void)state;
    int success = -1;
    assert_string_equal(flash_text("gegevens-opgeslagen", &success),
                        "Uw gegevens zijn opgeslagen.");
    assert_int_equal(success, 1);
    assert_string_equal(flash_text("uitgelogd", &success), "U bent uitgelogd.");
    assert_int_equal(success, 0);
    assert_null(flash_text("<script>", &success));
    assert_null(flash_text(NULL, &success));
}

/* A password is checked as typed and never put back into the page; an
 * address takes the one normal form of core/email.h. */
static void test_password_and_email(void **state)
{
    (void)state;
    static const wf_field pw_fields[] = {
        {"email", "Nieuw e-mailadres", WF_EMAIL, 254, "Vul uw nieuwe e-mailadres in.", NULL,
         "email", 0, NULL},
        {"wachtwoord", "Huidig wachtwoord", WF_PASSWORD, 256, "Vul uw huidige wachtwoord in.", NULL,
         "current-password", 0, NULL},
    };
    static const webform pw_form = WEBFORM(pw_fields);
    arena *a = arena_new(0);
    field_spec spec[4];
    assert_int_equal(webform_spec(&pw_form, NULL, spec, 4), 0);
    assert_int_equal(spec[1].kind, FK_TEXT);
    assert_int_equal(spec[1].maxlen, 256);
    const char *sent[] = {"email", " Deby.Rummens@Example.NL ", "wachtwoord", " geheim wachtwoord ",
                          NULL};
    http_req *rq = post(a, spec, sent);
    wf_values *v = webform_read(rq, &pw_form);
    assert_int_equal(v->nerrors, 0);
    assert_string_equal(v->value[0], "deby.rummens@example.nl");
    assert_string_equal(v->value[1], " geheim wachtwoord ");

    webform_fail(v, &pw_form, "wachtwoord", "Het wachtwoord is niet juist.");
    tmpl_set *t = tmpl_set_new();
    char err[256];
    assert_int_equal(tmpl_load_dir(t, "templates", err, sizeof err), 0);
    tv *ctx = tv_obj(a);
    webform_put(rq, ctx, &pw_form, v);
    buf out;
    buf_init(&out, a, 1024);
    assert_int_equal(tmpl_render(t, "partials/form_fields", ctx, &out), 0);
    assert_non_null(strstr(out.data, "type=\"password\" value=\"\""));
    assert_null(strstr(out.data, "geheim"));
    assert_non_null(strstr(out.data, "autocomplete=\"current-password\""));
    assert_non_null(strstr(out.data, "value=\" Deby.Rummens@Example.NL \""));

    const char *empty[] = {"email", "", NULL};
    v = webform_read(post(a, spec, empty), &pw_form);
    assert_int_equal(v->nerrors, 2);
    assert_string_equal(v->error[1], "Vul uw huidige wachtwoord in.");
    tmpl_set_free(t);
    arena_free(a);
}

/* Any real date, typed as dd-mm-jjjj, in the future as well. */
static void test_date(void **state)
{
    (void)state;
    static const wf_field date_fields[] = {
        {"datum", "Datum", WF_DATE, 10, "Vul een datum in.", NULL, NULL, 10, NULL},
    };
    static const webform date_form = WEBFORM(date_fields);
    arena *a = arena_new(0);
    field_spec spec[2];
    assert_int_equal(webform_spec(&date_form, NULL, spec, 2), 0);
    assert_int_equal(spec[0].kind, FK_DATE);
    wf_values *v =
        webform_read(post(a, spec, (const char *[]){"datum", "05-03-2099", NULL}), &date_form);
    assert_int_equal(v->nerrors, 0);
    assert_string_equal(v->value[0], "2099-03-05");
    v = webform_read(post(a, spec, (const char *[]){"datum", "31-02-2027", NULL}), &date_form);
    assert_string_equal(v->error[0], "Deze datum bestaat niet.");
    assert_string_equal(v->shown[0], "31-02-2027");
    v = webform_read(post(a, spec, (const char *[]){"datum", "", NULL}), &date_form);
    assert_string_equal(v->error[0], "Vul een datum in.");
    arena_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_spec_from_form),
        cmocka_unit_test(test_read_checks_and_normalises),
        cmocka_unit_test(test_markup_of_errors),
        cmocka_unit_test(test_password_and_username),
        cmocka_unit_test(test_password_and_email),
        cmocka_unit_test(test_new_password_rules),
        cmocka_unit_test(test_flash_keys),
        cmocka_unit_test(test_date),
    };
    return cmocka_run_group_tests_name("webform", tests, NULL, NULL);
}
