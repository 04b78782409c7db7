-- Leases that die with their holder: a run records who holds it (`holder`, the key of a lock
-- the server releases when the holder's session ends), a lease row records since when it is
-- held, and a run can end `interrupted` (SIGTERM/SIGINT) or `abandoned` (its holder died).
ALTER TABLE sync_runs DROP CONSTRAINT IF EXISTS sync_runs_status_check;
ALTER TABLE sync_runs ADD CONSTRAINT sync_runs_status_check
    CHECK (status IN ('running', 'succeeded', 'partial', 'failed', 'interrupted', 'abandoned', 'idle'));
ALTER TABLE sync_runs ADD COLUMN holder TEXT;
ALTER TABLE sync_cursors ADD COLUMN lease_since TIMESTAMPTZ;
