-- The outbox is the queue of an SMTP sender (src/mail): a message is due
-- until `sent_at` is set; an instance sending one holds it until
-- `lease_until`, so no other instance sends it meanwhile; a failed attempt
-- waits until `next_attempt_at`; a message the relay refuses for good gets
-- `failed_at`. A sent (or refused) message keeps no body: its codes are
-- not kept readable.
ALTER TABLE outbox ADD COLUMN sent_at BIGINT;
ALTER TABLE outbox ADD COLUMN failed_at BIGINT;
ALTER TABLE outbox ADD COLUMN attempts BIGINT NOT NULL DEFAULT 0;
ALTER TABLE outbox ADD COLUMN next_attempt_at BIGINT;
ALTER TABLE outbox ADD COLUMN lease_until BIGINT;
ALTER TABLE outbox ADD COLUMN last_error TEXT;
CREATE INDEX outbox_due ON outbox (sent_at, failed_at, created_at);
