-- Profile: phone and bio on the account, a version for optimistic
-- concurrency (the ETag of GET /v1/me), avatars and preferences. Portable
-- like the others: TEXT ids, BIGINT millisecond times and versions, one
-- column per ALTER TABLE (SQLite adds only one at a time).

-- E.164 as normalised by acctl_api::profile::normalize_phone.
ALTER TABLE users ADD COLUMN phone TEXT;
ALTER TABLE users ADD COLUMN bio TEXT;
-- Bumped by every profile change; a PATCH names the version it edited
-- (If-Match) and loses to any change made since.
ALTER TABLE users ADD COLUMN profile_version BIGINT NOT NULL DEFAULT 1;

-- At most one picture per account: the server's own re-encoding, a
-- square PNG, never the uploaded bytes. BLOB here; PostgreSQL spells it BYTEA.
CREATE TABLE avatars (
    user_id    TEXT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    png        BLOB NOT NULL,
    updated_at BIGINT NOT NULL
);

-- No row means the defaults (acctl_api::profile::DEFAULT_*) at version 0.
CREATE TABLE preferences (
    user_id    TEXT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    theme      TEXT NOT NULL,
    language   TEXT NOT NULL,
    timezone   TEXT NOT NULL,
    version    BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
