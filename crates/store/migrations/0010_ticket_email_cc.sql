-- The people on a ticket's mail besides the customer (JSON array of
-- addresses): the composer shows who an email reply also goes to.
ALTER TABLE tickets ADD COLUMN email_cc TEXT NOT NULL DEFAULT '[]';
