-- Several instances on one database: what one process used to keep to
-- itself lives here, so every instance behind a load balancer sees it.

-- Failed sign-ins and password confirmations, by subject (`email:<norm>`
-- or `ip:<address>`). Rows older than the limiter's window are swept.
CREATE TABLE login_failures (
    subject TEXT NOT NULL,
    at      BIGINT NOT NULL
);
CREATE INDEX login_failures_by_subject ON login_failures (subject, at);

-- A running export is leased by the instance building it; the lease is
-- renewed at each stage. One that runs out belonged to an instance that
-- stopped, and another one takes the job over (as the session that asked).
ALTER TABLE data_exports ADD COLUMN session_id TEXT;
ALTER TABLE data_exports ADD COLUMN lease_until BIGINT;
