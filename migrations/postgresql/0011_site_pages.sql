-- The pages every footer links to: Privacyverklaring, Cookies and
-- Toegankelijkheidsverklaring, as content pages (Markdown) the back office
-- can edit later. A page that is already there is left as it is. Keep
-- migrations/sqlite/0011_site_pages.sql in step.
INSERT INTO pages (slug, title, body, updated_at) VALUES
('privacyverklaring', 'Privacyverklaring',
'De Klantportal Mijn Onderwijsgroep is van de Onderwijsgroep Noordwest-Holland. Wij zijn verantwoordelijk voor de persoonsgegevens in de Klantportal. Hier leest u welke gegevens wij bewaren, waarom, hoe lang, en wat uw rechten zijn. Onze adresgegevens staan onderaan elke pagina.

## Welke gegevens bewaren wij, en waarom?

**Uw naam en e-mailadres.** Uw e-mailadres is ook uw gebruikersnaam. Wij gebruiken het om u te laten inloggen en om u e-mail te sturen over uw account, uw inschrijvingen en uw facturen.

**Uw woonadres, telefoonnummer en geboortedatum.** Deze gegevens hebben wij nodig om u in te schrijven voor een cursus, om u een factuur te sturen en om een certificaat of licentie voor u aan te vragen. Op een certificaat of licentie staat uw geboortedatum. Zo is duidelijk dat het bewijs bij u hoort.

**Uw organisatie.** Volgt u cursussen via uw werkgever? Dan bewaren wij voor welke organisatie u werkt, of u daar medewerker of beheerder bent, en uw werkgegevens: bijvoorbeeld uw functie en uw telefoonnummer en e-mailadres op het werk. Zo kan de beheerder van uw organisatie u inschrijven, en gaat de factuur naar uw organisatie. De beheerders van uw organisatie kunnen uw werkgegevens zien en aanpassen.

**Uw cursussen en facturen.** Wij bewaren voor welke cursussen u bent ingeschreven, uw resultaten en uw facturen.

**Uw wachtwoord.** Dit bewaren wij alleen als een onleesbare code. Niemand kan uw wachtwoord lezen, ook wij niet.

**Gegevens over het inloggen.** Als u inlogt, onthoudt de Klantportal dat u bent ingelogd (een sessie). Daarbij bewaren wij voor wie u werkt in de Klantportal (als persoon of voor een organisatie) en uw IP-adres.

**Gegevens tegen misbruik.** Bij elke poging om in te loggen en bij elke aanvraag van een nieuw wachtwoord bewaren wij het tijdstip, de gebruikersnaam en het IP-adres. Zo kunnen wij iemand afremmen die wachtwoorden probeert te raden. Na het inloggen krijgt uw browser een apparaatcode. Daardoor kunt u zelf blijven inloggen, ook als iemand anders uw wachtwoord probeert te raden.

**E-mail die wij u sturen.** Van elke e-mail die de Klantportal verstuurt, bewaren wij een kopie. Zo kunnen wij nagaan of een bericht is aangekomen. Een link om een wachtwoord in te stellen bewaren wij niet in een bruikbare vorm.

**Een logboek.** Belangrijke handelingen, zoals inloggen, uitloggen en het wijzigen van gegevens, schrijven wij op met het tijdstip en het IP-adres. Zo kunnen wij misbruik onderzoeken.

## Hoe lang bewaren wij uw gegevens?

- Een sessie is na 2 uur zonder activiteit niet meer geldig. Wij wissen haar uiterlijk 12 uur na het inloggen.
- Kiest u bij het inloggen voor *Onthoud mijn gegevens*? Dan blijft u 30 dagen ingelogd in die browser. Daarna wissen wij deze gegevens. Logt u uit, dan wissen wij ze meteen.
- Inlogpogingen en aanvragen van een nieuw wachtwoord wissen wij na 1 dag.
- De apparaatcode van uw browser is 1 jaar geldig. Daarna wissen wij haar.
- Een link om een wachtwoord of e-mailadres in te stellen wissen wij 1 dag nadat u hem heeft gebruikt of nadat hij is verlopen.
- Kopieën van verstuurde e-mail wissen wij na 30 dagen.
- Uw naam, adres, geboortedatum en de andere gegevens van uw account bewaren wij zolang u klant bij ons bent. Facturen moeten wij volgens de wet 7 jaar bewaren.

## Met wie delen wij uw gegevens?

Wij verkopen uw gegevens nooit. Wij geven ze alleen aan anderen als dat nodig is voor uw cursus, bijvoorbeeld aan de organisatie die een licentie of certificaat afgeeft, of als de wet ons dat verplicht.

## Uw rechten

Volgens de AVG (de Algemene verordening gegevensbescherming) heeft u deze rechten:

- **Inzage.** U mag vragen welke gegevens wij van u hebben.
- **Verbeteren.** Klopt er iets niet? Veel gegevens past u zelf aan: log in en kies *Mijn gegevens*. Andere gegevens passen wij voor u aan.
- **Verwijderen.** U mag vragen om uw gegevens te wissen. Gegevens die wij volgens de wet moeten bewaren, zoals facturen, wissen wij als die termijn voorbij is.
- **Beperken en bezwaar maken.** U mag vragen om uw gegevens een tijd niet te gebruiken. U mag ook bezwaar maken tegen een bepaald gebruik van uw gegevens.
- **Meenemen.** U mag uw gegevens in een bestand krijgen, zodat u ze aan een ander kunt geven.

## Zo gebruikt u uw rechten

Stuur een e-mail naar [info@onderwijsgroepnwh.nl](mailto:info@onderwijsgroepnwh.nl) of bel de administratie op 0223-611310. Zeg wat u wilt. Wij kunnen u vragen om te laten zien wie u bent, zodat wij uw gegevens niet aan een ander geven. U krijgt binnen 1 maand antwoord.

Bent u het niet eens met hoe wij met uw gegevens omgaan? Laat het ons weten. U mag ook een klacht indienen bij de Autoriteit Persoonsgegevens ([autoriteitpersoonsgegevens.nl](https://autoriteitpersoonsgegevens.nl)).
',
CAST(extract(epoch FROM now()) AS BIGINT)),
('cookies', 'Cookies',
'De Klantportal gebruikt alleen functionele cookies. Een cookie is een klein bestand dat de website in uw browser zet. Zonder deze cookies werkt de Klantportal niet: ze onthouden bijvoorbeeld dat u bent ingelogd.

Wij gebruiken geen cookies om u te volgen, geen cookies voor statistieken of reclame, en geen cookies van andere bedrijven. Daarom vragen wij u niet om toestemming.

## Welke cookies zet de Klantportal?

- `kp_sessie`: onthoudt dat u bent ingelogd. Bewaard tot u de browser sluit of uitlogt.
- `kp_csrf`: beschermt formulieren die u invult voordat u bent ingelogd, zoals *Inloggen* en *Wachtwoord opvragen*, tegen misbruik door andere websites. Bewaard tot u de browser sluit.
- `kp_onthoud`: alleen als u *Onthoud mijn gegevens* aanvinkt. Houdt u ingelogd in deze browser. Bewaard 30 dagen, of tot u uitlogt.
- `kp_gebruiker`: alleen als u *Onthoud mijn gegevens* aanvinkt. Onthoudt uw gebruikersnaam, zodat u die niet opnieuw hoeft in te vullen. Bewaard 30 dagen, of tot u uitlogt.
- `kp_organisatie`: alleen als u *Onthoud mijn gegevens* aanvinkt. Onthoudt of u het laatst als persoon of voor een organisatie werkte. Bewaard 30 dagen, of tot u uitlogt.
- `kp_apparaat`: herkent deze browser na een geslaagde inlog. Daardoor kunt u zelf blijven inloggen, ook als iemand anders uw wachtwoord probeert te raden. Bewaard 1 jaar, ook als u uitlogt.
- `kp_melding`: laat na een actie één keer een melding zien, bijvoorbeeld dat uw gegevens zijn opgeslagen. Bewaard 1 minuut.

Via een beveiligde verbinding (https) beginnen de namen met `__Host-`, bijvoorbeeld `__Host-kp_sessie`. Dan kan alleen deze website de cookie lezen en zetten, en gaat de cookie alleen over een beveiligde verbinding.

## Cookies wissen of blokkeren

In de instellingen van uw browser kunt u cookies wissen of blokkeren. Zonder cookies kunt u de cursussen en het nieuws gewoon bekijken, maar kunt u niet inloggen.
',
CAST(extract(epoch FROM now()) AS BIGINT)),
('toegankelijkheidsverklaring', 'Toegankelijkheidsverklaring',
'De Onderwijsgroep Noordwest-Holland wil dat iedereen de Klantportal kan gebruiken, ook mensen met een beperking. Wij volgen daarvoor de norm WCAG 2.1, niveau AA. Dat is de norm die ook voor websites van de Nederlandse overheid geldt.

## Zo testen wij de Klantportal

- **Bij elke nieuwe versie** controleren wij de pagina''s automatisch met axe-core in een echte browser, op een gewoon scherm en op een smal scherm.
- **Met het toetsenbord.** Alles is te bedienen zonder muis. U ziet altijd waar u bent. Met de link *Naar de inhoud* springt u meteen naar de inhoud van de pagina.
- **Op een smal scherm.** De pagina''s werken vanaf 320 pixels breed, zoals op een telefoon of als u 400% inzoomt. U hoeft dan niet opzij te scrollen.
- **Zonder JavaScript.** De Klantportal werkt ook als JavaScript uit staat.

Formulieren zeggen bovenaan wat er niet goed is, met een link naar elk veld, en bij het veld zelf staat wat u kunt doen.

## Werkt er iets niet goed?

Laat het ons weten. Mail naar [info@onderwijsgroepnwh.nl](mailto:info@onderwijsgroepnwh.nl) of bel de administratie op 0223-611310. Zeg op welke pagina het was en wat er misging. Wij antwoorden binnen 5 werkdagen.
',
CAST(extract(epoch FROM now()) AS BIGINT))
ON CONFLICT (slug) DO NOTHING;
