-- The run lock is judged by the database's clock alone, in a time-zone-safe type: hosts with other
-- zones, DST or skewed clocks cannot misread a live lock. Its holder names itself: a run id, or
-- 'operator: COMMAND'. The lock is transient state, so the table is simply recreated.
DROP TABLE run_lock;
CREATE TABLE run_lock (
    name          VARCHAR(32)   NOT NULL PRIMARY KEY,
    holder        VARCHAR(128)  NOT NULL,
    host          VARCHAR(255)  NOT NULL,
    pid           BIGINT        NOT NULL,
    acquired_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    heartbeat_at  TIMESTAMP WITH TIME ZONE NOT NULL
);

-- Every other time is written by the database's clock from now on, in the same type (existing values
-- are read in the database session's time zone).
ALTER TABLE harvest_run ALTER COLUMN started_at SET DATA TYPE TIMESTAMP WITH TIME ZONE;
ALTER TABLE harvest_run ALTER COLUMN finished_at SET DATA TYPE TIMESTAMP WITH TIME ZONE;
ALTER TABLE harvested_file ALTER COLUMN delivered_at SET DATA TYPE TIMESTAMP WITH TIME ZONE;
ALTER TABLE harvested_file ALTER COLUMN dropped_at SET DATA TYPE TIMESTAMP WITH TIME ZONE;
ALTER TABLE ledger_invoice ALTER COLUMN updated_at SET DATA TYPE TIMESTAMP WITH TIME ZONE;
ALTER TABLE fastly_estimate ALTER COLUMN fetched_at SET DATA TYPE TIMESTAMP WITH TIME ZONE;

-- Which summary reported a delivered file. A file is claimed by exactly one summary; one still NULL (a
-- run killed before its summary) is reported by the next one. Files delivered before this version were
-- reported by their own runs' summaries.
ALTER TABLE harvested_file ADD COLUMN summary_id VARCHAR(36);
ALTER TABLE harvested_file ADD COLUMN invoice_type VARCHAR(32);
UPDATE harvested_file SET summary_id = 'reported-before-v7';
CREATE INDEX harvested_file_summary ON harvested_file (summary_id);

-- One row per summary: its files are claimed first, then its mail is written to the outbox under a
-- name of its own; a summary claimed but never written (a kill in between) gives its files back.
CREATE TABLE run_summary (
    summary_id    VARCHAR(36)   NOT NULL PRIMARY KEY,
    run_id        VARCHAR(36)   NOT NULL,
    claimed_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    written_at    TIMESTAMP WITH TIME ZONE,
    outbox_name   VARCHAR(255)
);
