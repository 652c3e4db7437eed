-- How far the agent has read each ticket: the newest message the ticket
-- pane showed them. A ticket is unread when an inbound message is newer.
-- The message's time is kept beside its id, so a read stays valid after a
-- queued reply's placeholder message is replaced by the server's.
CREATE TABLE ticket_reads (
    ticket_number   INTEGER PRIMARY KEY REFERENCES tickets (number) ON DELETE CASCADE,
    message_id      INTEGER NOT NULL,
    message_created INTEGER NOT NULL
) STRICT;

-- "Breaching soon": the agent's tickets whose SLA clock runs, in queue
-- order, so the view reads a range of this index up to a deadline.
CREATE INDEX tickets_mine_due ON tickets (assignee_id, urgency, created_at, number)
    WHERE sla_due_at IS NOT NULL;
