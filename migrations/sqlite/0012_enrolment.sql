-- Enrolment: what a registration records besides who and which event.
--   price_cents    the price including VAT shown when enrolling (the event's)
--   reference      Referentie / inkoopnummer a beheerder typed, for the invoice
--   terms_version  the version of the general terms a paying person accepted
--   hold_until     a public sign-up whose address is not yet confirmed holds
--                  its seat until then; the lapse job frees it after
--   confirmed_at   when the applicant confirmed the address
--   access_hash    SHA-256 of the key in the address of a sign-up's own page
--   applicant_org_name, applicant_invoice_address  what a bezoeker typed for
--                  an invoice to their organisation
-- Keep migrations/postgresql/0012_enrolment.sql in step.
ALTER TABLE registrations ADD COLUMN price_cents BIGINT NOT NULL DEFAULT 0;
ALTER TABLE registrations ADD COLUMN reference TEXT NOT NULL DEFAULT '';
ALTER TABLE registrations ADD COLUMN terms_version TEXT;
ALTER TABLE registrations ADD COLUMN hold_until BIGINT;
ALTER TABLE registrations ADD COLUMN confirmed_at BIGINT;
ALTER TABLE registrations ADD COLUMN access_hash TEXT;
ALTER TABLE registrations ADD COLUMN applicant_org_name TEXT;
ALTER TABLE registrations ADD COLUMN applicant_invoice_address TEXT;

-- One active sign-up per address per event (a bezoeker has no person yet).
CREATE UNIQUE INDEX registrations_applicant_once ON registrations (event_id, applicant_email)
    WHERE status <> 'geannuleerd' AND person_id IS NULL;
-- The waiting list of an event, in order.
CREATE INDEX registrations_waiting ON registrations (event_id, id) WHERE status = 'wachtlijst';
-- Unconfirmed holds, for the lapse job.
CREATE INDEX registrations_hold ON registrations (hold_until) WHERE hold_until IS NOT NULL;
CREATE UNIQUE INDEX registrations_access ON registrations (access_hash) WHERE access_hash IS NOT NULL;
CREATE INDEX registrations_enrolled_by ON registrations (enrolled_by);

-- A course's default price (events take it when made) and whether the
-- course needs the participant's date of birth already exists.
ALTER TABLE courses ADD COLUMN price_cents BIGINT NOT NULL DEFAULT 0;

-- The personal calendar feed: one key per person, stored as its SHA-256.
CREATE TABLE calendar_keys (
    person_id BIGINT PRIMARY KEY REFERENCES persons (id),
    key_hash TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX calendar_keys_hash ON calendar_keys (key_hash);

-- The general and cancellation terms a person accepts when they enrol and
-- pay themself (version 2026-1; the version accepted is kept on the
-- registration). A page that is already there is left as it is.
INSERT INTO pages (slug, title, body, updated_at) VALUES
('algemene-voorwaarden', 'Algemene voorwaarden en annuleringsvoorwaarden',
'*Versie 2026-1.* Deze voorwaarden gelden als u zich als persoon inschrijft voor een cursus van de Onderwijsgroep Noordwest-Holland en de factuur zelf betaalt.

## Inschrijven

Met Inschrijven in de Klantportal schrijft u zich in voor het gekozen evenement. Uw inschrijving is definitief: u gaat een betalingsverplichting aan voor de prijs die op de inschrijfpagina staat, inclusief btw. Na verwerking door de administratie ontvangt u een bevestiging per e-mail en daarna de factuur.

## Betalen

U betaalt de factuur binnen 30 dagen na de factuurdatum op het rekeningnummer dat op de factuur staat.

## Herroepingsrecht (bedenktijd)

U mag uw inschrijving binnen 14 dagen zonder opgave van redenen kosteloos ontbinden. Deze bedenktijd begint op de dag van uw inschrijving. Begint de cursus binnen die 14 dagen en wilt u toch meedoen, dan vragen wij u bij de inschrijving of u daarmee instemt; ontbindt u daarna, dan betaalt u alleen voor het deel dat al is gegeven. U ontbindt door u af te melden in de Klantportal (Mijn Onderwijsgroep, Cursussen, Afmelden), of door een e-mail aan [info@onderwijsgroepnwh.nl](mailto:info@onderwijsgroepnwh.nl).

## Afmelden (annuleren)

Na de bedenktijd kunt u zich tot de sluitingsdatum van de inschrijving kosteloos afmelden via Mijn Onderwijsgroep, Cursussen, Afmelden. Na de sluitingsdatum kunt u niet meer zelf afmelden: neem dan contact op met de administratie, 0223-611310. Bij afmelding na de sluitingsdatum brengen wij de volledige prijs in rekening. U mag zich wel laten vervangen door een collega of bekende; geef dat door aan de administratie.

## Wachtlijst

Is een evenement vol, dan kunt u een plaats op de wachtlijst nemen. Komt er een plaats vrij, dan schrijven wij de eerste op de wachtlijst automatisch in en krijgt die daarvan bericht per e-mail. Vanaf dat moment gelden deze voorwaarden voor die inschrijving.

## Als een cursus niet doorgaat

Gaat een evenement niet door, dan krijgt u bericht en betaalt u niets, of krijgt u uw geld terug.

## Vragen of klachten

Neem contact op met de administratie: [info@onderwijsgroepnwh.nl](mailto:info@onderwijsgroepnwh.nl), 0223-611310.
',
CAST(strftime('%s', 'now') AS INTEGER))
ON CONFLICT (slug) DO NOTHING;
