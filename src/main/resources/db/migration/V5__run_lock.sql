-- One harvest at a time per state database: the running harvest holds this row. A holder that died
-- (same host, process gone) or stopped renewing its heartbeat is taken over.
CREATE TABLE run_lock (
    name          VARCHAR(32)   NOT NULL PRIMARY KEY,
    run_id        VARCHAR(36)   NOT NULL,
    host          VARCHAR(255)  NOT NULL,
    pid           BIGINT        NOT NULL,
    acquired_at   TIMESTAMP     NOT NULL,
    heartbeat_at  TIMESTAMP     NOT NULL
);
