-- Public replies on their way out through a channel gateway: one row per
-- reply on Telegram or email, claimed by that channel's gateway when due.
CREATE TABLE deliveries (
    message_id      INTEGER PRIMARY KEY REFERENCES messages (id),
    channel         TEXT NOT NULL CHECK (channel IN ('telegram', 'email')),
    state           TEXT NOT NULL CHECK (state IN ('queued', 'sent', 'delivered', 'failed')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    -- Parts the peer already took: a long Telegram reply goes as several,
    -- and a resumed delivery starts after the last one taken.
    parts_sent      INTEGER NOT NULL DEFAULT 0,
    -- What the peer calls it: Telegram message ids, the mail's Message-ID.
    peer_ref        TEXT,
    last_error      TEXT
) STRICT;
CREATE INDEX deliveries_due ON deliveries (channel, state, next_attempt_at);

-- What a channel's peer calls a message the desk stored (an email's
-- Message-ID, a Telegram chat and message id, a telephony call id): a
-- message seen again is recognised, and an answer finds its ticket.
CREATE TABLE channel_refs (
    channel    TEXT NOT NULL,
    ref        TEXT NOT NULL,
    message_id INTEGER NOT NULL REFERENCES messages (id),
    PRIMARY KEY (channel, ref)
) STRICT;

-- The gateways' own durable state: the Telegram update offset, the IMAP
-- mailbox's UIDVALIDITY and last seen UID.
CREATE TABLE gateway_state (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;
