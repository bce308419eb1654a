/* provider.h - the training provider's own facts, as printed on every
 * letter, confirmation and invoice and in the e-invoice: name, address,
 * contact, KvK and VAT numbers and the account that invoices are paid to.
 * Constants: no state, safe from any thread. An invoice copies them when it
 * is issued, so a change here changes only invoices issued after it. */
#ifndef KP_PROVIDER_H
#define KP_PROVIDER_H

#define PROVIDER_NAME "Onderwijsgroep Noordwest-Holland"
#define PROVIDER_STREET "Kievitstraat 31"
#define PROVIDER_POSTCODE "1782 GA"
#define PROVIDER_CITY "Den Helder"
#define PROVIDER_COUNTRY "NL"
#define PROVIDER_PHONE "0223-611310"
#define PROVIDER_EMAIL "info@onderwijsgroepnwh.nl"
/* Kamer van Koophandel number (8 digits) and the VAT identifier. */
#define PROVIDER_KVK "37095212"
#define PROVIDER_VAT "NL809521234B01"
/* Invoices are paid to this account; the BIC goes with it in the e-invoice. */
#define PROVIDER_IBAN "NL91ABNA0417164300"
#define PROVIDER_BIC "ABNANL2A"

#endif
