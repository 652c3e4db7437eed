-- Each customer mail the email gateway stored, by its message: a reply on
-- the ticket answers the latest one (In-Reply-To) and carries its chain.
CREATE TABLE email_inbound (
    message_id    INTEGER PRIMARY KEY REFERENCES messages (id),
    ticket_number INTEGER NOT NULL REFERENCES tickets (number),
    -- The mail's Message-ID without angle brackets; NULL when it had none.
    mail_id       TEXT,
    -- Its References, bare ids as a JSON array.
    refs          TEXT NOT NULL
) STRICT;
CREATE INDEX email_inbound_ticket ON email_inbound (ticket_number, message_id);

-- The other people on a ticket's mails (To and Cc of the customer's mails,
-- less the desk itself): replies go to them too, and they may answer.
CREATE TABLE email_cc (
    ticket_number INTEGER NOT NULL REFERENCES tickets (number),
    -- Lower-cased.
    address       TEXT NOT NULL,
    PRIMARY KEY (ticket_number, address)
) STRICT;

-- A customer writing from a known address is found by it, in any case.
CREATE INDEX customers_email ON customers (lower(json_extract(body, '$.email')));
