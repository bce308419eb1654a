-- News items are published or a concept (published = 0): a concept is seen
-- only in the back office, its public address answers 404. Every item that
-- exists already was on the site, so it stays published.
-- Keep migrations/postgresql/0024_news_published.sql in step.
ALTER TABLE news ADD COLUMN published INTEGER NOT NULL DEFAULT 1;
-- Home and Nieuws & Evenementen: the published items, newest first.
CREATE INDEX news_public ON news (published_on, id) WHERE published = 1;
