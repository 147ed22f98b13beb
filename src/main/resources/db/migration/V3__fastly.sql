-- Fastly has no file versions: an invoice's list entry is fingerprinted, so an unchanged invoice is not
-- fetched again; a changed one is fetched and versioned by the SHA-256 of its body.
ALTER TABLE harvested_file ADD COLUMN list_fingerprint CHAR(64);
CREATE INDEX harvested_file_fingerprint ON harvested_file (provider, invoice_id, list_fingerprint);

-- Month-to-date estimates: kept apart from posted invoices and never in the ledger's billed totals.
CREATE TABLE fastly_estimate (
    customer_id   VARCHAR(64)   NOT NULL,
    billing_month CHAR(7)       NOT NULL,
    amount        DECIMAL(24,8) NOT NULL,
    currency      CHAR(3),
    fetched_at    TIMESTAMP     NOT NULL,
    run_id        VARCHAR(36)   NOT NULL,
    PRIMARY KEY (customer_id, billing_month)
);
