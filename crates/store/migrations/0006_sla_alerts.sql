-- SLA alerts already raised: one per ticket, metric, level and clock run,
-- so a notification is never repeated, also not after a restart. Gone with
-- the ticket: one that comes back into scope may alert again.
CREATE TABLE sla_alerts (
    ticket_number    INTEGER NOT NULL REFERENCES tickets (number) ON DELETE CASCADE,
    metric           TEXT NOT NULL CHECK (metric IN ('first_response', 'next_response', 'resolution')),
    level            TEXT NOT NULL CHECK (level IN ('warning', 'breached')),
    clock_started_at INTEGER NOT NULL,
    raised_at        INTEGER NOT NULL,
    PRIMARY KEY (ticket_number, metric, level, clock_started_at)
) STRICT, WITHOUT ROWID;

-- The agent's settings on this machine, one JSON value per key.
CREATE TABLE preferences (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;
