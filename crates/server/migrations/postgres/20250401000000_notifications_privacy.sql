-- Notifications and privacy: the settings matrix, the inbox, privacy
-- choices, data exports and scheduled deletions. Portable like the others:
-- TEXT ids, BIGINT millisecond times, BOOLEAN flags.

-- Only cells someone set are stored; a missing row is the default
-- (store::notifications::default_enabled).
CREATE TABLE notification_settings (
    user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    category   TEXT NOT NULL,
    channel    TEXT NOT NULL,
    enabled    BOOLEAN NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (user_id, category, channel)
);

-- The in-app inbox, written in the same transaction as the event it is about.
CREATE TABLE notifications (
    id         TEXT PRIMARY KEY,
    user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    category   TEXT NOT NULL,
    title      TEXT NOT NULL,
    body       TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    read_at    BIGINT
);
CREATE INDEX notifications_by_user ON notifications (user_id, created_at, id);

-- No row means private with everything optional off.
CREATE TABLE privacy_settings (
    user_id            TEXT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    profile_visibility TEXT NOT NULL,
    data_sharing       BOOLEAN NOT NULL,
    analytics          BOOLEAN NOT NULL,
    personalized_ads   BOOLEAN NOT NULL,
    updated_at         BIGINT NOT NULL
);

-- Export jobs. `document` is the finished JSON (TEXT, so PostgreSQL takes
-- it as is); `expired` is never stored: it is `ready` past `expires_at`.
CREATE TABLE data_exports (
    id               TEXT PRIMARY KEY,
    user_id          TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    status           TEXT NOT NULL,
    progress_percent BIGINT NOT NULL,
    created_at       BIGINT NOT NULL,
    ready_at         BIGINT,
    expires_at       BIGINT,
    size_bytes       BIGINT,
    document         TEXT
);
CREATE INDEX data_exports_by_user ON data_exports (user_id, created_at, id);

-- At most one scheduled deletion per account; canceling removes the row.
CREATE TABLE deletions (
    user_id       TEXT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    requested_at  BIGINT NOT NULL,
    scheduled_for BIGINT NOT NULL
);
CREATE INDEX deletions_due ON deletions (scheduled_for);
