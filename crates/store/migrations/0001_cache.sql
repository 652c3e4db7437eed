-- The offline cache of the tickets an agent may see, as last synced, plus
-- what the agent changed offline (outbox) and where sync left off.

CREATE TABLE agents (
    id   INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    team TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('agent', 'lead'))
) STRICT;

CREATE TABLE customers (
    id            INTEGER PRIMARY KEY,
    name          TEXT NOT NULL,
    account_login TEXT,
    project       TEXT,
    email         TEXT,
    telegram_chat INTEGER,
    phone         TEXT
) STRICT;

CREATE TABLE tickets (
    number        INTEGER PRIMARY KEY,
    subject       TEXT NOT NULL,
    status        TEXT NOT NULL CHECK (status IN ('new', 'open', 'pending', 'on_hold', 'solved', 'closed', 'reopened')),
    priority      TEXT NOT NULL CHECK (priority IN ('urgent', 'high', 'normal', 'low')),
    category      TEXT NOT NULL,
    plan          TEXT NOT NULL CHECK (plan IN ('standard', 'professional')),
    service_name  TEXT NOT NULL,
    service_stage TEXT NOT NULL CHECK (service_stage IN ('beta', 'ga')),
    customer_id   INTEGER NOT NULL REFERENCES customers (id),
    channel       TEXT NOT NULL CHECK (channel IN ('portal', 'telegram', 'email', 'phone')),
    assignee_id   INTEGER REFERENCES agents (id),
    team          TEXT NOT NULL,
    tags          TEXT NOT NULL DEFAULT '[]', -- JSON array of strings
    version       INTEGER NOT NULL,
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL,
    sla_due_at    INTEGER,
    -- Queue order key: the running SLA deadline, or "never" so tickets
    -- without a clock sort after every ticket with one.
    urgency       INTEGER NOT NULL GENERATED ALWAYS AS (coalesce(sla_due_at, 9223372036854775807)) VIRTUAL
) STRICT;

-- One index per queue view, each already in queue order (urgency, age).
CREATE INDEX tickets_mine_open ON tickets (assignee_id, urgency, created_at, number)
    WHERE status IN ('new', 'open', 'reopened');
CREATE INDEX tickets_waiting ON tickets (assignee_id, urgency, created_at, number)
    WHERE status = 'pending';
CREATE INDEX tickets_all ON tickets (urgency, created_at, number);
CREATE INDEX tickets_customer ON tickets (customer_id);

CREATE TABLE messages (
    id              INTEGER PRIMARY KEY,
    ticket_number   INTEGER NOT NULL REFERENCES tickets (number) ON DELETE CASCADE,
    kind            TEXT NOT NULL CHECK (kind IN ('inbound', 'public_reply', 'internal_note', 'call_log', 'system_event')),
    channel         TEXT NOT NULL CHECK (channel IN ('portal', 'telegram', 'email', 'phone')),
    author_type     TEXT NOT NULL CHECK (author_type IN ('customer', 'agent', 'system')),
    author_id       INTEGER,
    body            TEXT NOT NULL,
    created_at      INTEGER NOT NULL,
    delivery_state  TEXT CHECK (delivery_state IN ('queued', 'sending', 'sent', 'delivered', 'failed')),
    delivery_error  TEXT,
    call_direction  TEXT CHECK (call_direction IN ('inbound', 'outbound')),
    call_duration_s INTEGER,
    call_outcome    TEXT CHECK (call_outcome IN ('answered', 'no_answer', 'busy', 'voicemail')),
    CHECK ((kind = 'public_reply') = (delivery_state IS NOT NULL)),
    CHECK ((kind = 'call_log') = (call_direction IS NOT NULL AND call_duration_s IS NOT NULL AND call_outcome IS NOT NULL))
) STRICT;

CREATE INDEX messages_ticket ON messages (ticket_number, created_at, id);

-- Metadata only: the bytes live in the content-addressed file store.
CREATE TABLE attachments (
    id           INTEGER PRIMARY KEY,
    message_id   INTEGER NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
    name         TEXT NOT NULL,
    size_bytes   INTEGER NOT NULL CHECK (size_bytes >= 0),
    content_hash TEXT NOT NULL CHECK (length(content_hash) = 64),
    media_type   TEXT NOT NULL
) STRICT;

CREATE INDEX attachments_message ON attachments (message_id);

CREATE TABLE sla_policies (
    id                 INTEGER PRIMARY KEY,
    plan               TEXT NOT NULL,
    priority           TEXT NOT NULL,
    first_response_min INTEGER NOT NULL,
    next_response_min  INTEGER NOT NULL,
    resolution_min     INTEGER NOT NULL,
    warning            TEXT NOT NULL, -- JSON WarningThreshold
    calendar           TEXT NOT NULL, -- JSON SlaCalendar
    UNIQUE (plan, priority)
) STRICT;

CREATE TABLE canned_responses (
    id       INTEGER PRIMARY KEY,
    title    TEXT NOT NULL,
    body     TEXT NOT NULL,
    category TEXT
) STRICT;

-- What the agent changed offline, in the order it was made, until the
-- server confirms it. Entries are never dropped by sync.
CREATE TABLE outbox (
    seq           INTEGER PRIMARY KEY AUTOINCREMENT,
    id            TEXT NOT NULL UNIQUE, -- client-generated UUID, the server's idempotency key
    ticket_number INTEGER NOT NULL,
    mutation      TEXT NOT NULL,        -- JSON
    base_version  INTEGER,
    state         TEXT NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'sending', 'failed', 'needs_review')),
    attempts      INTEGER NOT NULL DEFAULT 0,
    last_error    TEXT,
    created_at    INTEGER NOT NULL
) STRICT;

CREATE INDEX outbox_ticket ON outbox (ticket_number, seq);

CREATE TABLE sync_state (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;

-- Full-text search: one document a ticket (subject + every message body),
-- since a search answers with tickets. The documents are not stored twice:
-- the index reads them from this view (FTS5 external content), so writers
-- must remove a ticket's old document before changing it (see write.rs).
-- "ё" is indexed as "е", as Russian readers treat them: FTS5's diacritic
-- folding covers Latin letters only. unicode61 folds case for Cyrillic and
-- Latin alike; word endings are handled by stemming the query (search.rs).
CREATE VIEW ticket_search_docs AS
SELECT t.number AS number,
       replace(replace(t.subject, 'ё', 'е'), 'Ё', 'Е') AS subject,
       replace(replace(coalesce(
           (SELECT group_concat(m.body, char(10) ORDER BY m.created_at, m.id)
              FROM messages m WHERE m.ticket_number = t.number), ''),
         'ё', 'е'), 'Ё', 'Е') AS body
FROM tickets t;

CREATE VIRTUAL TABLE ticket_search USING fts5 (
    subject,
    body,
    content = 'ticket_search_docs',
    content_rowid = 'number',
    tokenize = 'unicode61 remove_diacritics 2'
);
INSERT INTO ticket_search (ticket_search, rank) VALUES ('rank', 'bm25(4.0, 1.0)');
