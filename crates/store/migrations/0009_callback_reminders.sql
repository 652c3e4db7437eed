-- Callback reminders already raised: one per ticket and promised time, so
-- the agent is reminded once, also after a restart, and not again when a
-- queued call log's placeholder is replaced by the server's copy (their
-- ids differ; the ticket and the time do not). Gone with the ticket.
CREATE TABLE callback_reminders (
    ticket_number INTEGER NOT NULL REFERENCES tickets (number) ON DELETE CASCADE,
    callback_at   INTEGER NOT NULL,
    reminded_at   INTEGER NOT NULL,
    PRIMARY KEY (ticket_number, callback_at)
) STRICT, WITHOUT ROWID;

-- The agent's promised callbacks, without scanning every message.
CREATE INDEX messages_callbacks ON messages (author_id, call_callback_at)
    WHERE call_callback_at IS NOT NULL;
