-- The exports gain the pricing-currency columns and write a decimal point on every number: every month is
-- exported again, so that all months share one schema and one schema id.
INSERT INTO ledger_export_pending (billing_month)
    SELECT DISTINCT billing_month FROM ledger_invoice
    WHERE billing_month NOT IN (SELECT billing_month FROM ledger_export_pending);

-- Months published to the bucket harvester.ledger.publish-uri names (target: its endpoint, bucket and
-- prefix). A month is due while it has no row for the target: exporting a month again deletes its rows,
-- in the transaction that clears its export mark, so a new export is always published again.
CREATE TABLE ledger_published (
    target        VARCHAR(512)              NOT NULL,
    billing_month CHAR(7)                   NOT NULL,
    published_at  TIMESTAMP WITH TIME ZONE  NOT NULL,
    PRIMARY KEY (target, billing_month)
);
