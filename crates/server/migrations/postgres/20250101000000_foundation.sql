-- Foundation: accounts, sessions, their tokens, and the security log.
-- The PostgreSQL twin of migrations/sqlite (same versions, same tables): ids are TEXT uuids,
-- times are BIGINT milliseconds since the Unix epoch (INTEGER would be
-- 32-bit on PostgreSQL), no engine-specific functions.

CREATE TABLE users (
    id             TEXT PRIMARY KEY,
    email          TEXT NOT NULL,
    -- Trimmed and lower-cased: emails compare case-insensitively.
    email_norm     TEXT NOT NULL UNIQUE,
    email_verified BOOLEAN NOT NULL,
    name           TEXT NOT NULL,
    display_name   TEXT,
    password_hash  TEXT NOT NULL,
    created_at     BIGINT NOT NULL,
    updated_at     BIGINT NOT NULL
);

CREATE TABLE sessions (
    id             TEXT PRIMARY KEY,
    user_id        TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    device_name    TEXT NOT NULL,
    user_agent     TEXT,
    ip             TEXT,
    created_at     BIGINT NOT NULL,
    last_active_at BIGINT NOT NULL,
    revoked_at     BIGINT
);
CREATE INDEX sessions_by_user ON sessions (user_id, last_active_at);

-- Tokens are stored only as SHA-256 hashes (hex).
CREATE TABLE access_tokens (
    token_hash TEXT PRIMARY KEY,
    session_id TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX access_tokens_by_session ON access_tokens (session_id);

CREATE TABLE refresh_tokens (
    token_hash TEXT PRIMARY KEY,
    session_id TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    -- Set when the token was traded for a new pair; presenting it again
    -- means it leaked.
    used_at    BIGINT
);
CREATE INDEX refresh_tokens_by_session ON refresh_tokens (session_id);

CREATE TABLE security_events (
    id          TEXT PRIMARY KEY,
    user_id     TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    -- The session the event belongs to, if any; kept after it is revoked.
    session_id  TEXT,
    kind        TEXT NOT NULL,
    at          BIGINT NOT NULL,
    ip          TEXT,
    device_name TEXT,
    detail      TEXT
);
CREATE INDEX security_events_by_user ON security_events (user_id, at, id);
