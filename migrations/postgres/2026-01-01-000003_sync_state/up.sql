-- Durable sync state: one cursor row per (account, stream), written in the same transaction as
-- the rows it covers. The (account_id, 'account') row also carries the account's lease.
CREATE TABLE sync_cursors (
    account_id       TEXT COLLATE "C" NOT NULL,
    stream           TEXT COLLATE "C" NOT NULL,
    cursor           TEXT,
    last_success_at  TIMESTAMPTZ,
    last_attempt_at  TIMESTAMPTZ,
    fail_count       INTEGER NOT NULL DEFAULT 0,
    last_error       TEXT,
    lease_owner      TEXT,
    lease_expires_at TIMESTAMPTZ,
    PRIMARY KEY (account_id, stream)
);

CREATE TABLE sync_runs (
    run_id        BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    started_at    TIMESTAMPTZ NOT NULL,
    finished_at   TIMESTAMPTZ,
    status        TEXT NOT NULL CHECK (status IN ('running', 'succeeded', 'partial', 'failed')),
    api_calls     BIGINT NOT NULL DEFAULT 0,
    rows_upserted BIGINT NOT NULL DEFAULT 0,
    error         TEXT
);
