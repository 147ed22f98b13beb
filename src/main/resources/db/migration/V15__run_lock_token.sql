-- Every take of the run lock writes a new token; every write of its holder checks it in the same transaction,
-- so a holder that lost the lock writes nothing more (state.FencedDataSource). process_started now holds the
-- kernel's start tick ("ticks:N"), never a wall-clock instant; a row with an instant is judged by its lease.
ALTER TABLE run_lock ADD COLUMN token VARCHAR(36);
