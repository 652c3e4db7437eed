-- When the agent promised to call the customer back, on a call log.
ALTER TABLE messages ADD COLUMN call_callback_at INTEGER
    CHECK (call_callback_at IS NULL OR kind = 'call_log');
