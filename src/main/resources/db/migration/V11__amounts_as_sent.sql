-- Amounts as JSON sends them: Fastly's floating-point amounts, rates and units (46733.333333333336,
-- 7.5E-7) and long decimals in Akamai's files are held exactly. Every amount, quantity and price column
-- takes what the harvester accepts (Amounts: 20 integer digits, 18 decimals); before, H2 rounded to the
-- column's scale without a word.
ALTER TABLE harvested_file ALTER COLUMN invoice_total SET DATA TYPE DECIMAL(38,18);
ALTER TABLE ledger_invoice ALTER COLUMN invoice_total SET DATA TYPE DECIMAL(38,18);
ALTER TABLE fastly_estimate ALTER COLUMN amount SET DATA TYPE DECIMAL(38,18);
ALTER TABLE ledger_line ALTER COLUMN pricing_quantity SET DATA TYPE DECIMAL(38,18);
ALTER TABLE ledger_line ALTER COLUMN contracted_unit_price SET DATA TYPE DECIMAL(38,18);
ALTER TABLE ledger_line ALTER COLUMN consumed_quantity SET DATA TYPE DECIMAL(38,18);
ALTER TABLE ledger_line ALTER COLUMN contracted_cost SET DATA TYPE DECIMAL(38,18);
ALTER TABLE ledger_line ALTER COLUMN billed_cost SET DATA TYPE DECIMAL(38,18);

-- The Parquet exports' decimals take the same scale: every month is exported again, so that all months
-- share one schema.
INSERT INTO ledger_export_pending (billing_month)
    SELECT DISTINCT billing_month FROM ledger_invoice
    WHERE billing_month NOT IN (SELECT billing_month FROM ledger_export_pending);
