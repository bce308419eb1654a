/* flash.c - see flash.h. */
#include "web/flash.h"

#include <string.h>

#include "core/log.h"
#include "web/page.h"

static const struct {
    const char *key, *text;
    int success;
} notices[] = {
    {"opgeslagen", "De wijzigingen zijn opgeslagen.", 1},
    {"code-verlopen", "Log opnieuw in: de stap met de code duurde te lang of is al gebruikt.", 0},
    {"herstelcode-gebruikt",
     "U bent ingelogd met een herstelcode. Die code werkt niet nog eens. Heeft u uw telefoon "
     "niet meer? Maak nieuwe herstelcodes onder Mijn gegevens, Tweestapsverificatie.",
     0},
    {"tweestapsverificatie-uit", "Tweestapsverificatie staat uit.", 1},
    {"niets-te-factureren", "Er is niets gefactureerd: er was niets meer te factureren.", 0},
    {"factuur-gemaakt",
     "De factuur is gemaakt. De factuurpartij krijgt de factuur als PDF per "
     "e-mail.",
     1},
    {"creditfactuur-gemaakt",
     "De creditfactuur is gemaakt. De factuurpartij krijgt de creditfactuur als PDF per e-mail.",
     1},
    {"factuur-betaald", "De factuur is gemarkeerd als betaald.", 1},
    {"creditfactuur-verrekend", "De creditfactuur is gemarkeerd als verrekend of terugbetaald.", 1},
    {"referentie-opgeslagen", "De referentie is opgeslagen.", 1},
    {"rem-opgeheven", "De rem is opgeheven: er kan weer worden ingelogd.", 1},
    {"bericht-verstuurd", "Het bericht is verstuurd en staat in het dossier.", 1},
    {"nieuws-opgeslagen", "Het nieuwsbericht is opgeslagen.", 1},
    {"nieuws-verwijderd", "Het nieuwsbericht is verwijderd.", 1},
    {"pagina-opgeslagen",
     "De pagina is opgeslagen. Op de site staat de nieuwe tekst binnen enkele seconden.", 1},
    {"categorie-aangemaakt", "De categorie is aangemaakt.", 1},
    {"categorie-verwijderd", "De categorie is verwijderd.", 1},
    {"cursus-aangemaakt", "De cursus is aangemaakt.", 1},
    {"cursus-verwijderd", "De cursus is verwijderd.", 1},
    {"evenement-aangemaakt", "Het evenement is aangemaakt.", 1},
    {"evenement-verwijderd", "Het evenement is verwijderd.", 1},
    {"evenement-geannuleerd",
     "Het evenement is geannuleerd. Alle inschrijvingen zijn geannuleerd en iedereen krijgt "
     "bericht per e-mail.",
     1},
    {"gegevens-opgeslagen", "Uw gegevens zijn opgeslagen.", 1},
    {"wachtwoord-gewijzigd",
     "Uw wachtwoord is gewijzigd. Op andere apparaten en browsers bent u uitgelogd.", 1},
    {"wachtwoord-ingesteld", "Uw wachtwoord is ingesteld.", 1},
    {"link-verstuurd",
     "Er is een bericht gestuurd naar uw e-mailadres. Open het bericht en klik op de link om uw "
     "wachtwoord te wijzigen. De link werkt één keer en is 60 minuten geldig.",
     1},
    {"activatielink-verstuurd",
     "Er is een bericht gestuurd naar uw e-mailadres. Uw toegang is nog niet geactiveerd: open "
     "het bericht en klik op de link om uw toegang te activeren. De link werkt één keer en is 7 "
     "dagen geldig.",
     1},
    {"contact-toegevoegd", "De contactpersoon is toegevoegd.", 1},
    {"contact-uitgenodigd",
     "De contactpersoon is toegevoegd en ontvangt een e-mail om de toegang te activeren.", 1},
    {"contact-verwijderd", "De contactpersoon is verwijderd.", 1},
    {"uitgelogd", "U bent uitgelogd.", 0},
    {"uitnodiging-opnieuw",
     "De uitnodiging is opnieuw verstuurd naar het e-mailadres van de contactpersoon. De nieuwe "
     "link is 7 dagen geldig; een eerdere link werkt niet meer.",
     1},
    {"uitnodiging-verstuurd",
     "De uitnodiging is verstuurd naar het e-mailadres van de contactpersoon. De link is 7 dagen "
     "geldig.",
     1},
    /* the back office's persons and organisations */
    {"persoon-aangemaakt", "De persoon is aangemaakt.", 1},
    {"persoon-uitgenodigd",
     "De persoon is aangemaakt en ontvangt een e-mail om de toegang te activeren. De link is 7 "
     "dagen geldig.",
     1},
    {"activatie-verstuurd", "De activatielink is verstuurd. De link is 7 dagen geldig.", 1},
    {"activatie-opnieuw",
     "De activatielink is opnieuw verstuurd. De nieuwe link is 7 dagen geldig; een eerdere link "
     "werkt niet meer.",
     1},
    {"persoon-geblokkeerd",
     "De toegang is geblokkeerd. De persoon is overal uitgelogd en kan niet meer inloggen.", 1},
    {"persoon-gedeblokkeerd", "De toegang is gedeblokkeerd: de persoon kan weer inloggen.", 1},
    {"lidmaatschap-toegevoegd", "De persoon is aan de organisatie toegevoegd.", 1},
    {"rol-gewijzigd", "De rol is gewijzigd.", 1},
    {"lidmaatschap-beeindigd", "Het lidmaatschap is beëindigd.", 1},
    {"toegang-verstuurd",
     "De organisatie is aangemaakt. De beheerder ontvangt een e-mail om de toegang te activeren; "
     "de link is 7 dagen geldig.",
     1},
    {"toegang-bestaand-account",
     "De organisatie is aangemaakt. De beheerder had al een account en kan direct inloggen; een "
     "activatie-e-mail is niet nodig.",
     1},
    {"inloggen-nodig", "Log in om verder te gaan.", 0},
    {"afgemeld", "U bent afgemeld.", 1},
    {"afmelding-verwerkt", "De afmelding is verwerkt.", 1},
    {"niets-gekozen", "Kies eerst een of meer cursussen met het vakje voor de naam.", 0},
    {"geen-inschrijving-gekozen",
     "Kies eerst een of meer inschrijvingen met het vakje voor de naam.", 0},
    {"inschrijving-verwerkt",
     "De inschrijving is verwerkt. De deelnemer krijgt de bevestiging per e-mail (en, zonder "
     "account, een e-mail om de toegang te activeren).",
     1},
    {"inschrijvingen-verwerkt",
     "De inschrijvingen zijn verwerkt. De deelnemers krijgen de bevestiging per e-mail (en, "
     "zonder account, een e-mail om de toegang te activeren).",
     1},
    {"inschrijving-verplaatst",
     "De inschrijving is verplaatst. De deelnemer krijgt daarvan bericht per e-mail.", 1},
    {"inschrijving-verplaatst-wachtlijst",
     "De inschrijving is verplaatst naar de wachtlijst van het andere evenement. De deelnemer "
     "krijgt daarvan bericht per e-mail.",
     1},
    {"inschrijving-geannuleerd",
     "De inschrijving is geannuleerd. De deelnemer krijgt daarvan bericht per e-mail.", 1},
    {"inschrijving-gemaakt",
     "De inschrijving is gemaakt. De deelnemer krijgt de e-mail Inschrijving ontvangen.", 1},
    {"inschrijving-wachtlijst",
     "Het evenement is vol: de deelnemer staat op de wachtlijst en krijgt daarvan bericht per "
     "e-mail.",
     1},
    {"uitnodiging-deelnemers", "De uitnodiging is verstuurd.", 1},
    {"uitnodiging-deels",
     "De uitnodiging is verstuurd, behalve aan deelnemers zonder e-mailadres (van henzelf of van "
     "wie hen inschreef): zie de kolom Uitnodiging verzonden.",
     1},
    {"uitnodiging-onbereikbaar",
     "Er is geen uitnodiging verstuurd: van deze deelnemers (en van wie hen inschreef) is geen "
     "e-mailadres bekend.",
     0},
    {"uitnodiging-niemand",
     "Er is geen uitnodiging verstuurd: iedere verwerkte deelnemer heeft haar al. Vink deelnemers "
     "aan om haar opnieuw te sturen.",
     0},
    {"resultaten-opgeslagen", "De resultaten zijn opgeslagen.", 1},
    /* after Organisatie kiezen: the text follows the session (flash_take) */
    {"context-gekozen", "U werkt nu als persoon.", 0},
};

const char *flash_text(const char *key, int *success)
{
    for (size_t i = 0; key && i < sizeof notices / sizeof notices[0]; i++)
        if (strcmp(notices[i].key, key) == 0) {
            if (success) *success = notices[i].success;
            return notices[i].text;
        }
    return NULL;
}

static const char *cookie_name(const http_req *rq)
{
    /* as every cookie of ours: __Host- under https, so a sibling domain or
     * plain http cannot plant one */
    return rq->site->https ? "__Host-kp_melding" : "kp_melding";
}

static void set_cookie(http_req *rq, http_resp *rs, const char *value, int max_age)
{
    resp_add_header(rs, rq->a, "Set-Cookie",
                    arena_printf(rq->a, "%s=%s; Path=/; HttpOnly; SameSite=Lax; Max-Age=%d%s",
                                 cookie_name(rq), value, max_age,
                                 rq->site->https ? "; Secure" : ""));
}

void flash_set(http_req *rq, http_resp *rs, const char *key)
{
    if (!flash_text(key, NULL)) {
        log_error("melding '%s' bestaat niet", key ? key : "(null)");
        return;
    }
    set_cookie(rq, rs, key, 60);
}

const char *flash_take(http_req *rq, http_resp *rs, int *success)
{
    const char *key = kv_get(&rq->cookies, cookie_name(rq));
    if (!key) return NULL;
    set_cookie(rq, rs, "", 0);
    const char *text = flash_text(key, success);
    const req_viewer *v = rq->viewer;
    if (text && strcmp(key, "context-gekozen") == 0 && v && v->in_org)
        return arena_printf(rq->a, "U werkt nu %s.", page_context_phrase(rq->a, v));
    return text;
}

int flash_pending(const http_req *rq)
{
    return kv_get(&rq->cookies, cookie_name(rq)) != NULL;
}
