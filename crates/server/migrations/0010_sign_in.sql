-- Agents sign in: a login (their email, lower-cased) and an argon2id
-- password hash on the agent; one-time sign-in codes; a token per device.
ALTER TABLE agents ADD COLUMN login TEXT;
CREATE UNIQUE INDEX agents_login ON agents (login);
ALTER TABLE agents ADD COLUMN password_hash TEXT;
-- A disabled agent's devices all stop, and intake gives them no tickets:
-- what a revoked token meant when an agent had one.
ALTER TABLE agents RENAME COLUMN revoked_at TO disabled_at;

-- SHA-256 of a code from `agent add` or `agent reset`; one live per agent.
CREATE TABLE sign_in_codes (
    agent_id    INTEGER PRIMARY KEY REFERENCES agents (id),
    code_hash   TEXT NOT NULL UNIQUE,
    expires_at  INTEGER NOT NULL
) STRICT;

CREATE TABLE devices (
    id            INTEGER PRIMARY KEY,
    agent_id      INTEGER NOT NULL REFERENCES agents (id),
    name          TEXT NOT NULL,
    -- SHA-256 of the device's token; the token itself is never stored.
    token_hash    TEXT NOT NULL UNIQUE,
    signed_in_at  INTEGER NOT NULL,
    last_seen_at  INTEGER NOT NULL,
    expires_at    INTEGER NOT NULL,
    -- 1: each use moves expires_at on (sign-ins); 0: a fixed end (tokens
    -- an operator issues with `agent token`).
    sliding       INTEGER NOT NULL CHECK (sliding IN (0, 1)),
    revoked_at    INTEGER
) STRICT;
CREATE INDEX devices_agent ON devices (agent_id);

-- The one token an agent had becomes their first device. The columns that
-- held it stay empty: SQLite cannot drop a UNIQUE column.
INSERT INTO devices (agent_id, name, token_hash, signed_in_at, last_seen_at, expires_at, sliding)
    SELECT id, 'API token', token_hash, 0, 0,
           coalesce(token_expires_at, 253402300799000), 0
    FROM agents WHERE token_hash IS NOT NULL AND disabled_at IS NULL;
UPDATE agents SET token_hash = NULL, token_expires_at = NULL;
