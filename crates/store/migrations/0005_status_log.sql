-- Every status move of a ticket, oldest first (JSON array of
-- {"at": ms, "status": code}), so the SLA watcher can replay pauses and
-- reopenings. The ticket starts as 'new' at created_at; that is implied.
ALTER TABLE tickets ADD COLUMN status_log TEXT NOT NULL DEFAULT '[]';

-- Tickets cached before the log was kept get the one move they must have
-- made, at their last update at the latest: a pause is then counted from
-- there, never longer than it was.
UPDATE tickets SET status_log = json_array(json_object('at', updated_at, 'status', status))
WHERE status <> 'new';

-- The SLA watcher reads what every message means for the clocks straight
-- from this index, never stepping over message bodies (a long mail spills
-- into overflow pages). It leads with the columns of messages_ticket, so
-- it serves that index's queries and replaces it.
CREATE INDEX messages_sla ON messages (ticket_number, created_at, id, kind, delivery_state,
    delivery_error, call_direction, call_duration_s, call_outcome, call_callback_at);
DROP INDEX messages_ticket;
