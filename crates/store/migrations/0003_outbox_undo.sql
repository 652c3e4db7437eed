-- What a field edit replaced in the cache, so a refusal can put it back:
-- JSON {"column": ..., "value": ...}.
ALTER TABLE outbox ADD COLUMN undo TEXT;
