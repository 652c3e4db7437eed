-- The reference server's store. Entities are kept as the JSON of their wire
-- type beside the columns the server filters on; every write appends to
-- `changes`, whose sequence is what clients pull by.

CREATE TABLE agents (
    id          INTEGER PRIMARY KEY,
    team        TEXT NOT NULL,
    role        TEXT NOT NULL CHECK (role IN ('agent', 'lead')),
    body        TEXT NOT NULL,
    -- SHA-256 of the API token; the token itself is never stored.
    token_hash  TEXT UNIQUE,
    revoked_at  INTEGER
) STRICT;

CREATE TABLE customers (
    id   INTEGER PRIMARY KEY,
    body TEXT NOT NULL
) STRICT;

CREATE TABLE tickets (
    number      INTEGER PRIMARY KEY,
    assignee_id INTEGER REFERENCES agents (id),
    team        TEXT NOT NULL,
    customer_id INTEGER NOT NULL REFERENCES customers (id),
    version     INTEGER NOT NULL,
    body        TEXT NOT NULL
) STRICT;
CREATE INDEX tickets_assignee ON tickets (assignee_id);
CREATE INDEX tickets_team ON tickets (team);

CREATE TABLE messages (
    id            INTEGER PRIMARY KEY,
    ticket_number INTEGER NOT NULL REFERENCES tickets (number),
    body          TEXT NOT NULL
) STRICT;
CREATE INDEX messages_ticket ON messages (ticket_number);

CREATE TABLE attachments (
    id            INTEGER PRIMARY KEY,
    ticket_number INTEGER NOT NULL REFERENCES tickets (number),
    body          TEXT NOT NULL
) STRICT;

CREATE TABLE sla_policies (
    id   INTEGER PRIMARY KEY,
    body TEXT NOT NULL
) STRICT;

CREATE TABLE canned_responses (
    id   INTEGER PRIMARY KEY,
    body TEXT NOT NULL
) STRICT;

-- One row per change, in commit order. `ticket_number` puts a change in a
-- ticket's scope; evictions name who lost the ticket instead.
CREATE TABLE changes (
    seq            INTEGER PRIMARY KEY AUTOINCREMENT,
    kind           TEXT NOT NULL CHECK (kind IN ('agent', 'customer', 'ticket', 'message', 'attachment',
                                                 'sla_policy', 'canned_response', 'eviction')),
    key            INTEGER NOT NULL,
    ticket_number  INTEGER,
    audience_agent INTEGER,
    audience_team  TEXT
) STRICT;
CREATE INDEX changes_ticket ON changes (ticket_number, seq);

-- Every pushed mutation's client UUID with the answer it got, written in
-- the same transaction as its effect: a replay gets the same answer and
-- changes nothing.
CREATE TABLE applied_mutations (
    id            TEXT PRIMARY KEY,
    agent_id      INTEGER NOT NULL REFERENCES agents (id),
    ticket_number INTEGER NOT NULL,
    outcome       TEXT NOT NULL,
    applied_at    INTEGER NOT NULL
) STRICT;
