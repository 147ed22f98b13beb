-- What fails the run that first meets it and then waits on a person, listed by `status` and each
-- summary without failing every later run (README, "What happens when things fail").

-- A listed file the provider does not serve: a 204 for any file, or a 400/404 for one its reference
-- says cannot exist (COMPUTE data that is not text/csv, COMPUTE before 2024-02). Later runs try it
-- again; delivering it removes the row. A Fastly invoice's version is its list entry's fingerprint here.
CREATE TABLE unavailable_file (
    provider          VARCHAR(16)    NOT NULL,
    account_id        VARCHAR(255)   NOT NULL,
    contract_id       VARCHAR(255)   NOT NULL,
    invoice_id        VARCHAR(64)    NOT NULL,
    source_type       VARCHAR(255)   NOT NULL,
    content_type      VARCHAR(64)    NOT NULL,
    file_version      VARCHAR(64)    NOT NULL,
    billing_month     CHAR(7)        NOT NULL,
    file_name         VARCHAR(512)   NOT NULL,
    reason            VARCHAR(4000)  NOT NULL,
    first_run_id      VARCHAR(36)    NOT NULL,
    first_seen        TIMESTAMP WITH TIME ZONE NOT NULL,
    last_seen         TIMESTAMP WITH TIME ZONE NOT NULL,
    attempts          INTEGER        NOT NULL,
    PRIMARY KEY (provider, account_id, contract_id, invoice_id, source_type, content_type, file_version)
);

-- An unmapped CSV (ledger_unmapped) is reported once. The mark lives apart, because a ledger rebuild
-- empties ledger_unmapped and fills it again.
CREATE TABLE ledger_unmapped_reported (
    provider          VARCHAR(16)    NOT NULL,
    account_id        VARCHAR(255)   NOT NULL,
    invoice_id        VARCHAR(64)    NOT NULL,
    source_type       VARCHAR(255)   NOT NULL,
    file_version      VARCHAR(64)    NOT NULL,
    run_id            VARCHAR(36)    NOT NULL,
    reported_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (provider, account_id, invoice_id, source_type, file_version)
);
-- Those waiting when this version arrives were reported by every run before it: they are reported.
INSERT INTO ledger_unmapped_reported (provider, account_id, invoice_id, source_type, file_version, run_id, reported_at)
    SELECT provider, account_id, invoice_id, source_type, file_version, 'before-V12', CURRENT_TIMESTAMP FROM ledger_unmapped;
