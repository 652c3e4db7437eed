-- The traffic cop: the newest message the agent had seen when they wrote
-- an entry; a reply waits for review when the customer or a colleague
-- wrote after it.
ALTER TABLE outbox ADD COLUMN seen_message_id INTEGER;
-- Why an entry waits for the agent (JSON), or why the server refused it.
ALTER TABLE outbox ADD COLUMN review TEXT;
