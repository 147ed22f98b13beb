-- A file is recorded here only after it is stored (archive + drop or ledger): a crash before that
-- leads to a re-download, never to a loss. The key makes a new file version a new row.
CREATE TABLE harvested_file (
    provider      VARCHAR(16)   NOT NULL,
    account_id    VARCHAR(64)   NOT NULL,
    contract_id   VARCHAR(64)   NOT NULL,
    invoice_id    VARCHAR(64)   NOT NULL,
    source_type   VARCHAR(32)   NOT NULL,
    content_type  VARCHAR(64)   NOT NULL,
    file_version  VARCHAR(64)   NOT NULL,
    file_name     VARCHAR(255)  NOT NULL,
    billing_month CHAR(7)       NOT NULL,
    stored_path   VARCHAR(1024) NOT NULL,
    sha256        CHAR(64)      NOT NULL,
    size_bytes    BIGINT        NOT NULL,
    run_id        VARCHAR(36)   NOT NULL,
    delivered_at  TIMESTAMP     NOT NULL,
    PRIMARY KEY (provider, account_id, contract_id, invoice_id, source_type, content_type, file_version)
);

CREATE TABLE harvest_run (
    run_id        VARCHAR(36)   NOT NULL PRIMARY KEY,
    run_trigger   VARCHAR(32)   NOT NULL,
    months        VARCHAR(512)  NOT NULL,
    started_at    TIMESTAMP     NOT NULL,
    finished_at   TIMESTAMP,
    exit_code     INTEGER,
    files_listed  INTEGER,
    files_new     INTEGER,
    files_failed  INTEGER,
    bytes         BIGINT
);

CREATE TABLE run_failure (
    run_id        VARCHAR(36)   NOT NULL,
    seq           INTEGER       NOT NULL,
    kind          VARCHAR(16)   NOT NULL,
    item          VARCHAR(1024) NOT NULL,
    message       VARCHAR(4000) NOT NULL,
    PRIMARY KEY (run_id, seq)
);
