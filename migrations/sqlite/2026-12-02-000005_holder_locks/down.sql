ALTER TABLE sync_cursors DROP COLUMN lease_since;
CREATE TABLE sync_runs_old (
    run_id        INTEGER PRIMARY KEY,
    started_at    TEXT NOT NULL,
    finished_at   TEXT,
    status        TEXT NOT NULL CHECK (status IN ('running', 'succeeded', 'partial', 'failed')),
    api_calls     BIGINT NOT NULL DEFAULT 0,
    rows_upserted BIGINT NOT NULL DEFAULT 0,
    error         TEXT
);
INSERT INTO sync_runs_old (run_id, started_at, finished_at, status, api_calls, rows_upserted, error)
    SELECT run_id, started_at, finished_at,
           CASE WHEN status IN ('interrupted', 'abandoned', 'idle') THEN 'failed' ELSE status END,
           api_calls, rows_upserted, error FROM sync_runs;
DROP TABLE sync_runs;
ALTER TABLE sync_runs_old RENAME TO sync_runs;
