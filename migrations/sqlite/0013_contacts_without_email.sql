-- Not every contact person has an e-mail address (a gardener, a forklift
-- driver). Such a person is stored with email '' and can never log in or
-- get mail; an address that is there stays unique, whatever its case. A
-- query by address says "AND email <> ''" too, which is also what lets
-- SQLite and PostgreSQL use these partial indexes for it.
DROP INDEX persons_email;
DROP INDEX persons_email_normal;
CREATE UNIQUE INDEX persons_email ON persons (email) WHERE email <> '';
CREATE UNIQUE INDEX persons_email_normal ON persons (lower(email)) WHERE email <> '';
