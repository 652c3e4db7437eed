-- The search documents' view, written without an ORDER BY inside
-- group_concat (that needs SQLite 3.44), so the sqlite3 of a distribution
-- (Debian 12 ships 3.40) can open the cache for an agent to look inside.
-- The messages are still joined in their order: SQLite does not flatten an
-- ordered subquery into an aggregate, so group_concat sees its rows in that
-- order. The documents read exactly as before (a test compares them), so
-- the index, which keeps no copy of the text, stays valid.
DROP VIEW ticket_search_docs;

CREATE VIEW ticket_search_docs AS
SELECT t.number AS number,
       replace(replace(t.subject, 'ё', 'е'), 'Ё', 'Е') AS subject,
       replace(replace(coalesce(
           (SELECT group_concat(body, char(10))
              FROM (SELECT m.body AS body FROM messages m
                     WHERE m.ticket_number = t.number
                     ORDER BY m.created_at, m.id)), ''),
         'ё', 'е'), 'Ё', 'Е') AS body
FROM tickets t;
