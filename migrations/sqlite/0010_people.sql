-- One person per address, whatever its case: addresses are stored
-- normalised (people/people.c), and the database holds every path to it.
CREATE UNIQUE INDEX persons_email_normal ON persons (lower(email));
