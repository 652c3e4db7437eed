-- What the agent is writing on a ticket, saved as they type so that a
-- crash or a restart loses nothing. One draft per ticket; the content is
-- the composer's state as JSON. Not tied to the tickets table: a ticket
-- leaving the agent's scope must not take their unsent words with it.
CREATE TABLE drafts (
    ticket_number INTEGER PRIMARY KEY,
    content       TEXT NOT NULL,
    updated_at    INTEGER NOT NULL
) STRICT;
