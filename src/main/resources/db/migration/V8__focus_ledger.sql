-- The ledger in FOCUS 1.2 terms. Its lines are derived data: the table is recreated with the new
-- columns and every month that had lines is marked for a rebuild from the archive, which the next run
-- (or `ledger rebuild`) does before anything else.
CREATE TABLE ledger_rebuild_pending (
    billing_month CHAR(7)       NOT NULL PRIMARY KEY
);
INSERT INTO ledger_rebuild_pending (billing_month) SELECT DISTINCT billing_month FROM ledger_invoice;

-- What a rebuild needs from the invoice list, recorded with each stored file from now on; files stored
-- before this version take it from the ledger's own record of their invoice.
ALTER TABLE harvested_file ADD COLUMN invoice_total DECIMAL(24,8);
ALTER TABLE harvested_file ADD COLUMN invoice_currency CHAR(3);
UPDATE harvested_file SET
    invoice_total = (SELECT MAX(i.invoice_total) FROM ledger_invoice i WHERE i.provider = harvested_file.provider
        AND i.account_id = harvested_file.account_id AND i.invoice_id = harvested_file.invoice_id),
    invoice_currency = (SELECT MAX(i.invoice_currency) FROM ledger_invoice i WHERE i.provider = harvested_file.provider
        AND i.account_id = harvested_file.account_id AND i.invoice_id = harvested_file.invoice_id),
    invoice_type = COALESCE(invoice_type, (SELECT MAX(i.invoice_type) FROM ledger_invoice i
        WHERE i.provider = harvested_file.provider AND i.account_id = harvested_file.account_id
        AND i.invoice_id = harvested_file.invoice_id));

DELETE FROM ledger_invoice;
DROP TABLE ledger_line;
CREATE TABLE ledger_line (
    provider              VARCHAR(16)    NOT NULL,
    account_id            VARCHAR(64)    NOT NULL,
    invoice_id            VARCHAR(64)    NOT NULL,
    source_type           VARCHAR(32)    NOT NULL,
    line_no               INTEGER        NOT NULL,
    billing_account_name  VARCHAR(512),
    sub_account_id        VARCHAR(128),
    sub_account_name      VARCHAR(512),
    charge_period_start   DATE,
    charge_period_end     DATE,
    charge_category       VARCHAR(16)    NOT NULL,
    charge_class          VARCHAR(16),
    charge_frequency      VARCHAR(16)    NOT NULL,
    charge_description    VARCHAR(2048),
    service_name          VARCHAR(512),
    service_category      VARCHAR(64)    NOT NULL,
    service_subcategory   VARCHAR(64)    NOT NULL,
    region_id             VARCHAR(128),
    region_name           VARCHAR(128),
    sku_id                VARCHAR(128),
    pricing_category      VARCHAR(16),
    pricing_quantity      DECIMAL(38,10),
    pricing_unit          VARCHAR(64),
    contracted_unit_price DECIMAL(38,10),
    consumed_quantity     DECIMAL(38,10),
    consumed_unit         VARCHAR(64),
    contracted_cost       DECIMAL(38,10) NOT NULL,
    billed_cost           DECIMAL(38,10) NOT NULL,
    billing_currency      CHAR(3)        NOT NULL,
    item_type             VARCHAR(32),
    unit_measure          VARCHAR(64),
    product_line          VARCHAR(255),
    product_group         VARCHAR(255),
    billing_region        VARCHAR(128),
    credit_coupon_code    VARCHAR(128),
    source_columns        VARCHAR(4000),
    PRIMARY KEY (provider, account_id, invoice_id, source_type, line_no)
);

-- An account's name as its invoices state it, for the lines whose file names none (COMPUTE, Fastly).
CREATE TABLE ledger_account (
    provider      VARCHAR(16)   NOT NULL,
    account_id    VARCHAR(64)   NOT NULL,
    account_name  VARCHAR(512)  NOT NULL,
    PRIMARY KEY (provider, account_id)
);

-- Months whose lines changed since their export was written: marked in the transaction that changes
-- the lines, cleared after ledger/{YYYY-MM}.* is rewritten, so a kill in between is caught up.
CREATE TABLE ledger_export_pending (
    billing_month CHAR(7)       NOT NULL PRIMARY KEY
);
