-- Intake gives a new ticket to the agent with the fewest open tickets; this
-- counts them from the index instead of reading every ticket's body.
CREATE INDEX tickets_assignee_status ON tickets (assignee_id, json_extract(body, '$.status'));
