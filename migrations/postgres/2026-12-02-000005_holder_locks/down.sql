ALTER TABLE sync_cursors DROP COLUMN lease_since;
ALTER TABLE sync_runs DROP COLUMN holder;
ALTER TABLE sync_runs DROP CONSTRAINT IF EXISTS sync_runs_status_check;
UPDATE sync_runs SET status = 'failed' WHERE status IN ('interrupted', 'abandoned', 'idle');
ALTER TABLE sync_runs ADD CONSTRAINT sync_runs_status_check
    CHECK (status IN ('running', 'succeeded', 'partial', 'failed'));
