-- Files agents uploaded, by content hash: an agent may attach only bytes
-- they sent themselves, so knowing a hash never grants a file.
CREATE TABLE file_uploads (
    content_hash TEXT NOT NULL,
    agent_id     INTEGER NOT NULL REFERENCES agents (id),
    size_bytes   INTEGER NOT NULL,
    uploaded_at  INTEGER NOT NULL,
    PRIMARY KEY (content_hash, agent_id)
) STRICT;

CREATE INDEX attachments_ticket ON attachments (ticket_number);

-- The platform's services and their release stage; portal tickets name one.
CREATE TABLE services (
    name  TEXT PRIMARY KEY COLLATE NOCASE,
    stage TEXT NOT NULL CHECK (stage IN ('beta', 'ga'))
) STRICT;

-- A portal customer's key to one ticket, kept as its SHA-256.
CREATE TABLE portal_keys (
    ticket_number INTEGER PRIMARY KEY REFERENCES tickets (number),
    key_hash      TEXT NOT NULL UNIQUE
) STRICT;

-- Customers are found again by their account login when they write in.
CREATE INDEX customers_login ON customers (json_extract(body, '$.account_login'));
