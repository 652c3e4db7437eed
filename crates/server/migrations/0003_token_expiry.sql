-- When an agent's token stops working. Tokens issued before expiry
-- existed keep working until they are revoked or replaced.
ALTER TABLE agents ADD COLUMN token_expires_at INTEGER;
