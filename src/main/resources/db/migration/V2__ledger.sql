-- The normalized ledger. One ledger_invoice row per invoice and source type (REGULAR and COMPUTE data
-- of one invoice coexist); its lines are replaced whole when a newer file version (or the preferred
-- CSV source) arrives, so totals never count an invoice twice.
CREATE TABLE ledger_invoice (
    provider          VARCHAR(16)   NOT NULL,
    account_id        VARCHAR(64)   NOT NULL,
    invoice_id        VARCHAR(64)   NOT NULL,
    source_type       VARCHAR(32)   NOT NULL,
    billing_month     CHAR(7)       NOT NULL,
    invoice_type      VARCHAR(32)   NOT NULL,
    file_version      VARCHAR(64)   NOT NULL,
    line_source       VARCHAR(8)    NOT NULL,
    source_file       VARCHAR(255)  NOT NULL,
    invoice_currency  CHAR(3),
    invoice_total     DECIMAL(24,8),
    line_count        INTEGER       NOT NULL,
    reconciled        BOOLEAN       NOT NULL,
    reconciliation    VARCHAR(512),
    run_id            VARCHAR(36)   NOT NULL,
    updated_at        TIMESTAMP     NOT NULL,
    PRIMARY KEY (provider, account_id, invoice_id, source_type)
);
CREATE INDEX ledger_invoice_month ON ledger_invoice (billing_month, provider, account_id);

CREATE TABLE ledger_line (
    provider              VARCHAR(16)   NOT NULL,
    account_id            VARCHAR(64)   NOT NULL,
    invoice_id            VARCHAR(64)   NOT NULL,
    source_type           VARCHAR(32)   NOT NULL,
    line_no               INTEGER       NOT NULL,
    billing_account_name  VARCHAR(255),
    sub_account_id        VARCHAR(64),
    charge_period_start   DATE,
    charge_period_end     DATE,
    charge_category       VARCHAR(16)   NOT NULL,
    charge_class          VARCHAR(16),
    charge_description    VARCHAR(1024),
    service_name          VARCHAR(255),
    service_category      VARCHAR(64),
    region_name           VARCHAR(128),
    pricing_quantity      DECIMAL(30,10),
    pricing_unit          VARCHAR(64),
    list_unit_price       DECIMAL(30,10),
    billed_cost           DECIMAL(24,8) NOT NULL,
    billing_currency      CHAR(3)       NOT NULL,
    sku_id                VARCHAR(128),
    item_type             VARCHAR(16),
    provenance            VARCHAR(4000),
    PRIMARY KEY (provider, account_id, invoice_id, source_type, line_no)
);

-- CSV files whose columns no mapping knows: archived, kept out of the ledger, reported every run.
CREATE TABLE ledger_unmapped (
    provider      VARCHAR(16)   NOT NULL,
    account_id    VARCHAR(64)   NOT NULL,
    invoice_id    VARCHAR(64)   NOT NULL,
    source_type   VARCHAR(32)   NOT NULL,
    file_version  VARCHAR(64)   NOT NULL,
    billing_month CHAR(7)       NOT NULL,
    file_name     VARCHAR(255)  NOT NULL,
    header        VARCHAR(4000) NOT NULL,
    PRIMARY KEY (provider, account_id, invoice_id, source_type, file_version)
);
