-- Leases that die with their holder: a run records who holds it (`holder`, the key of the OS
-- file lock the kernel releases when the holder dies), a lease row records since when it is
-- held, and a run can end `interrupted` (SIGTERM/SIGINT) or `abandoned` (its holder died).
-- SQLite cannot alter a CHECK constraint: the table is rebuilt.
CREATE TABLE sync_runs_new (
    run_id        INTEGER PRIMARY KEY,
    started_at    TEXT NOT NULL,
    finished_at   TEXT,
    status        TEXT NOT NULL CHECK (status IN ('running', 'succeeded', 'partial', 'failed', 'interrupted', 'abandoned', 'idle')),
    api_calls     BIGINT NOT NULL DEFAULT 0,
    rows_upserted BIGINT NOT NULL DEFAULT 0,
    error         TEXT,
    holder        TEXT
);
INSERT INTO sync_runs_new (run_id, started_at, finished_at, status, api_calls, rows_upserted, error)
    SELECT run_id, started_at, finished_at, status, api_calls, rows_upserted, error FROM sync_runs;
DROP TABLE sync_runs;
ALTER TABLE sync_runs_new RENAME TO sync_runs;
ALTER TABLE sync_cursors ADD COLUMN lease_since TEXT;
