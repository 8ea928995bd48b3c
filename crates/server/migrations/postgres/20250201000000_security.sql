-- Security: TOTP factors, recovery codes, pending email changes, the
-- second sign-in step, and the mail outbox. Portable like the foundation:
-- TEXT ids, BIGINT millisecond times.

-- One TOTP factor per account. Pending until `confirmed_at` is set. The
-- secret has to be kept in the clear to compute codes; it is never logged
-- and never returned after enrolment.
CREATE TABLE totp_factors (
    user_id        TEXT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    secret_base32  TEXT NOT NULL,
    created_at     BIGINT NOT NULL,
    confirmed_at   BIGINT,
    -- The last time step a code was accepted for: each step works once.
    last_used_step BIGINT
);

-- Stored only as SHA-256 hashes (hex).
CREATE TABLE recovery_codes (
    code_hash  TEXT PRIMARY KEY,
    user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    used_at    BIGINT
);
CREATE INDEX recovery_codes_by_user ON recovery_codes (user_id);

-- At most one pending change per account; a new request replaces it.
CREATE TABLE email_changes (
    user_id        TEXT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    new_email      TEXT NOT NULL,
    new_email_norm TEXT NOT NULL,
    code_hash      TEXT NOT NULL,
    created_at     BIGINT NOT NULL,
    expires_at     BIGINT NOT NULL,
    attempts       BIGINT NOT NULL
);

-- A password that was right, waiting for the second factor. The device
-- facts of the password step become the session's.
CREATE TABLE mfa_challenges (
    token_hash  TEXT PRIMARY KEY,
    user_id     TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    device_name TEXT NOT NULL,
    user_agent  TEXT,
    ip          TEXT,
    created_at  BIGINT NOT NULL,
    expires_at  BIGINT NOT NULL,
    failures    BIGINT NOT NULL,
    used_at     BIGINT
);
CREATE INDEX mfa_challenges_by_user ON mfa_challenges (user_id);

-- Mail that would be sent. `acctd serve --dev` shows it.
CREATE TABLE outbox (
    id         TEXT PRIMARY KEY,
    recipient  TEXT NOT NULL,
    subject    TEXT NOT NULL,
    body       TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX outbox_by_recipient ON outbox (recipient, created_at);
