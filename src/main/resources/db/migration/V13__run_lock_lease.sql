-- The run lock is judged by its holder's lease, not the taker's: the holder writes when its lease ends
-- (by the database's clock) with every heartbeat. And "dead on this host" needs more than a host name:
-- the holder's boot id, PID namespace and process start time (RunLock.Identity).
ALTER TABLE run_lock ADD COLUMN expires_at TIMESTAMP WITH TIME ZONE;
ALTER TABLE run_lock ADD COLUMN boot_id VARCHAR(64);
ALTER TABLE run_lock ADD COLUMN pid_namespace VARCHAR(64);
ALTER TABLE run_lock ADD COLUMN process_started VARCHAR(40);
