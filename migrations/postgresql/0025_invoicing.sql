-- Invoicing. An invoice row is the document as issued: everything printed
-- on it (the invoice party's name and address, the provider's own facts,
-- the reference, the lines and VAT) is copied in when it is issued, so a
-- later change of address or price changes no issued invoice, and its PDF
-- and e-invoice are always made from this copy.
--   kind               'factuur' or 'creditnota' (amounts negative)
--   credit_of          the invoice a credit note corrects
--   amount_cents       the total to pay, VAT included (existing column)
--   net_cents          the sum of the lines, VAT excluded
--   vat_cents          the VAT of all rates together
--   reference          Referentie / inkoopnummer of the enrolment(s)
--   payment_reference  what the payer quotes with the transfer
--   party_*            the invoice party (a person or an organisation)
--   party_attention    for an organisation: "t.a.v." the contact, or ''
--   seller_*           the provider's name, address, KvK, VAT number, IBAN
--   reminder_sent_at   when the payment reminder was queued (once)
-- status stays 'open' or 'betaald'; "vervallen" is open past due_date.
-- Keep migrations/sqlite/0025_invoicing.sql in step.
-- Amounts in cents as BIGINT, as the sums beside them (SQLite's INTEGER is
-- 64 bits already).
ALTER TABLE invoices ALTER COLUMN amount_cents TYPE BIGINT;
ALTER TABLE invoice_lines ALTER COLUMN amount_cents TYPE BIGINT;
ALTER TABLE invoices ADD COLUMN kind TEXT NOT NULL DEFAULT 'factuur'
    CHECK (kind IN ('factuur', 'creditnota'));
ALTER TABLE invoices ADD COLUMN credit_of BIGINT REFERENCES invoices (id);
ALTER TABLE invoices ADD COLUMN net_cents BIGINT NOT NULL DEFAULT 0;
ALTER TABLE invoices ADD COLUMN vat_cents BIGINT NOT NULL DEFAULT 0;
ALTER TABLE invoices ADD COLUMN reference TEXT NOT NULL DEFAULT '';
ALTER TABLE invoices ADD COLUMN payment_reference TEXT NOT NULL DEFAULT '';
ALTER TABLE invoices ADD COLUMN party_name TEXT NOT NULL DEFAULT '';
ALTER TABLE invoices ADD COLUMN party_attention TEXT NOT NULL DEFAULT '';
ALTER TABLE invoices ADD COLUMN party_street TEXT NOT NULL DEFAULT '';
ALTER TABLE invoices ADD COLUMN party_house_number TEXT NOT NULL DEFAULT '';
ALTER TABLE invoices ADD COLUMN party_postcode TEXT NOT NULL DEFAULT '';
ALTER TABLE invoices ADD COLUMN party_city TEXT NOT NULL DEFAULT '';
ALTER TABLE invoices ADD COLUMN party_kvk TEXT NOT NULL DEFAULT '';
ALTER TABLE invoices ADD COLUMN party_email TEXT NOT NULL DEFAULT '';
ALTER TABLE invoices ADD COLUMN seller_name TEXT NOT NULL DEFAULT '';
ALTER TABLE invoices ADD COLUMN seller_street TEXT NOT NULL DEFAULT '';
ALTER TABLE invoices ADD COLUMN seller_postcode TEXT NOT NULL DEFAULT '';
ALTER TABLE invoices ADD COLUMN seller_city TEXT NOT NULL DEFAULT '';
ALTER TABLE invoices ADD COLUMN seller_kvk TEXT NOT NULL DEFAULT '';
ALTER TABLE invoices ADD COLUMN seller_vat TEXT NOT NULL DEFAULT '';
ALTER TABLE invoices ADD COLUMN seller_iban TEXT NOT NULL DEFAULT '';
ALTER TABLE invoices ADD COLUMN seller_email TEXT NOT NULL DEFAULT '';
ALTER TABLE invoices ADD COLUMN seller_phone TEXT NOT NULL DEFAULT '';
ALTER TABLE invoices ADD COLUMN created_by BIGINT REFERENCES persons (id);
ALTER TABLE invoices ADD COLUMN reminder_sent_at BIGINT;
CREATE INDEX invoices_credit_of ON invoices (credit_of) WHERE credit_of IS NOT NULL;
-- The reminder job: open invoices by due date.
CREATE INDEX invoices_open_due ON invoices (due_date) WHERE status = 'open';

-- A line: amount_cents is its net amount (VAT excluded; negative on a
-- credit note), vat_rate the percentage (0: exempt from VAT, the exemption
-- is printed on the line). An invoice line is for one registration, or, for
-- a maatwerk event that is invoiced as a whole, for the event (event_id
-- set, registration_id NULL); a credit note's line names the line it
-- corrects (credits_line) instead. position keeps the printed order. The
-- unique indexes make invoicing a registration or an event, and crediting a
-- line, happen once, whatever runs at the same moment.
ALTER TABLE invoice_lines ADD COLUMN vat_rate INTEGER NOT NULL DEFAULT 21
    CHECK (vat_rate IN (0, 9, 21));
ALTER TABLE invoice_lines ADD COLUMN event_id BIGINT REFERENCES events (id);
ALTER TABLE invoice_lines ADD COLUMN position INTEGER NOT NULL DEFAULT 0;
ALTER TABLE invoice_lines ADD COLUMN credits_line BIGINT REFERENCES invoice_lines (id);
CREATE UNIQUE INDEX invoice_lines_registration ON invoice_lines (registration_id)
    WHERE registration_id IS NOT NULL;
CREATE UNIQUE INDEX invoice_lines_event ON invoice_lines (event_id) WHERE event_id IS NOT NULL;
CREATE UNIQUE INDEX invoice_lines_credits ON invoice_lines (credits_line)
    WHERE credits_line IS NOT NULL;

-- The last number given per year. Taking a number increments this row in
-- the transaction that writes the invoice: two invoicing runs at the same
-- moment (on one server or two) wait for each other on the row, and a run
-- that rolls back gives its number back, so numbers have no gap and no
-- duplicate.
CREATE TABLE invoice_counters (
    year INTEGER PRIMARY KEY,
    last_seq INTEGER NOT NULL
);
