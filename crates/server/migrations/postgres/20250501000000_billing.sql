-- Billing: one subscription per account, the card on file, invoices with
-- their lines, and checkout hand-offs. Portable like the others: TEXT ids,
-- BIGINT millisecond times, money as BIGINT minor units (never a float).

-- No row means a fresh account: it is created on first use as free,
-- monthly, active.
CREATE TABLE subscriptions (
    user_id              TEXT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    plan                 TEXT NOT NULL,
    billing_interval     TEXT NOT NULL,
    status               TEXT NOT NULL,
    period_start         BIGINT NOT NULL,
    period_end           BIGINT NOT NULL,
    -- Period ends fall on anchor + n intervals, so months do not drift
    -- (31 Jan, 28 Feb, 31 Mar rather than 31 Jan, 28 Feb, 28 Mar).
    anchor_at            BIGINT NOT NULL,
    cancel_at_period_end BOOLEAN NOT NULL,
    -- Net credit left over from a change that cost less than nothing;
    -- taken off the next invoices.
    credit_minor         BIGINT NOT NULL,
    updated_at           BIGINT NOT NULL
);
CREATE INDEX subscriptions_by_period_end ON subscriptions (period_end);

-- The card as far as it may be shown; the local provider keeps no more.
CREATE TABLE payment_methods (
    user_id    TEXT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    brand      TEXT NOT NULL,
    last4      TEXT NOT NULL,
    exp_month  BIGINT NOT NULL,
    exp_year   BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

-- Invoices outlive their account (bookkeeping): a purge cuts `user_id` and
-- blanks the customer's name and email, the rest stays.
CREATE TABLE invoices (
    id             TEXT PRIMARY KEY,
    user_id        TEXT REFERENCES users (id) ON DELETE SET NULL,
    number         TEXT NOT NULL UNIQUE,
    -- Running number behind `number`, one sequence for the whole server.
    seq            BIGINT NOT NULL UNIQUE,
    status         TEXT NOT NULL,
    issued_at      BIGINT NOT NULL,
    period_start   BIGINT NOT NULL,
    period_end     BIGINT NOT NULL,
    paid_at        BIGINT,
    currency       TEXT NOT NULL,
    subtotal_minor BIGINT NOT NULL,
    tax_rate_bps   BIGINT NOT NULL,
    tax_minor      BIGINT NOT NULL,
    total_minor    BIGINT NOT NULL,
    customer_name  TEXT,
    customer_email TEXT
);
CREATE INDEX invoices_by_user ON invoices (user_id, issued_at, id);

CREATE TABLE invoice_lines (
    invoice_id        TEXT NOT NULL REFERENCES invoices (id) ON DELETE CASCADE,
    position          BIGINT NOT NULL,
    description       TEXT NOT NULL,
    quantity          BIGINT NOT NULL,
    unit_amount_minor BIGINT NOT NULL,
    amount_minor      BIGINT NOT NULL,
    PRIMARY KEY (invoice_id, position)
);

-- A browser hand-off to change the card: stored only as a SHA-256 hash,
-- usable once, until `expires_at`.
CREATE TABLE checkout_tokens (
    token_hash TEXT PRIMARY KEY,
    user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at    BIGINT
);
CREATE INDEX checkout_tokens_by_user ON checkout_tokens (user_id);
