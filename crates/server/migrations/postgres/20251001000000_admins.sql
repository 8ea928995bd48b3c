-- Administrators (issue 18): a role on the account; an account can be
-- disabled; a session remembers when its owner last proved it is them
-- (step-up); the one-time codes of password resets an administrator
-- started; and the audit log of every administrator's action.
ALTER TABLE users ADD COLUMN is_admin BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE users ADD COLUMN disabled_at BIGINT;
-- Prefix search walks email_norm and name_norm by index with `>=` and `<`:
-- bytewise ("C") collation, as SQLite compares, so a range is exactly the
-- strings with the prefix (a language's collation orders otherwise).
ALTER TABLE users ALTER COLUMN email_norm TYPE TEXT COLLATE "C";
-- The name lower-cased; acctd writes it with the name.
ALTER TABLE users ADD COLUMN name_norm TEXT COLLATE "C" NOT NULL DEFAULT '';
UPDATE users SET name_norm = lower(name);
CREATE INDEX users_by_name ON users (name_norm, id);

ALTER TABLE sessions ADD COLUMN stepped_up_at BIGINT;

CREATE TABLE password_resets (
    user_id    TEXT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    code_hash  TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    attempts   BIGINT NOT NULL DEFAULT 0
);

-- Append-only: acctd never updates or deletes a row. Ids and emails are
-- copied, not referenced, so an entry outlives the accounts it names.
CREATE TABLE admin_audit (
    id           TEXT PRIMARY KEY,
    at           BIGINT NOT NULL,
    actor_id     TEXT,
    actor_email  TEXT,
    action       TEXT NOT NULL,
    target_id    TEXT NOT NULL,
    target_email TEXT NOT NULL,
    reason       TEXT NOT NULL,
    request_id   TEXT,
    detail       TEXT
);
CREATE INDEX admin_audit_by_time ON admin_audit (at, id);
CREATE INDEX admin_audit_by_actor ON admin_audit (actor_id, at, id);
CREATE INDEX admin_audit_by_target ON admin_audit (target_id, at, id);
CREATE INDEX admin_audit_by_action ON admin_audit (action, at, id);
