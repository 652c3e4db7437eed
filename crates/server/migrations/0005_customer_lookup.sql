-- Channels find their customer by chat (and their open ticket by customer)
-- on every message; without these, each message scans the desk.
CREATE INDEX customers_telegram_chat ON customers (json_extract(body, '$.telegram_chat'));
CREATE INDEX tickets_customer ON tickets (customer_id, number);
