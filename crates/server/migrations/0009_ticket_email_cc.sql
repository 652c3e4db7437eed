-- A ticket carries the people on its mail, so agents see who an email reply
-- goes to; tickets that already had some get them written in. (The change
-- log is not touched: consoles learn the list with the ticket's next change.)
UPDATE tickets
SET body = json_set(body, '$.email_cc', (
    SELECT json_group_array(address)
    FROM (SELECT address FROM email_cc c WHERE c.ticket_number = tickets.number ORDER BY address)
))
WHERE number IN (SELECT ticket_number FROM email_cc);
