-- Calls the telephony provider reports by webhook, by the provider's call
-- id: what its events told so far. A call's record (a call log message)
-- is written once, at its first hang-up, and named in channel_refs
-- ('phone', call_id); events that come later, again or out of order,
-- change nothing.
CREATE TABLE calls (
    call_id     TEXT PRIMARY KEY,
    direction   TEXT NOT NULL CHECK (direction IN ('inbound', 'outbound')),
    -- The customer's number as `+` and digits.
    caller      TEXT NOT NULL,
    -- The provider's clock, in ms since the epoch.
    ringing_at  INTEGER,
    answered_at INTEGER,
    hung_up_at  INTEGER
) STRICT;

-- A caller is found by the digits of their number; the expression is
-- intake::PHONE_DIGITS, so lookups use this index.
CREATE INDEX customers_phone_digits ON customers (replace(replace(replace(replace(replace(
    json_extract(body, '$.phone'), '+', ''), ' ', ''), '-', ''), '(', ''), ')', ''));
