-- Identifiers and names as wide as the harvester lets them be: a sanitized provider name is up to 160
-- characters, so a 200-character account id no longer fails its file after archiving, run after run.
ALTER TABLE harvested_file ALTER COLUMN account_id SET DATA TYPE VARCHAR(255);
ALTER TABLE harvested_file ALTER COLUMN contract_id SET DATA TYPE VARCHAR(255);
ALTER TABLE harvested_file ALTER COLUMN source_type SET DATA TYPE VARCHAR(255);
ALTER TABLE harvested_file ALTER COLUMN file_name SET DATA TYPE VARCHAR(512);
ALTER TABLE ledger_invoice ALTER COLUMN account_id SET DATA TYPE VARCHAR(255);
ALTER TABLE ledger_invoice ALTER COLUMN source_type SET DATA TYPE VARCHAR(255);
ALTER TABLE ledger_invoice ALTER COLUMN source_file SET DATA TYPE VARCHAR(512);
ALTER TABLE ledger_line ALTER COLUMN account_id SET DATA TYPE VARCHAR(255);
ALTER TABLE ledger_line ALTER COLUMN source_type SET DATA TYPE VARCHAR(255);
ALTER TABLE ledger_unmapped ALTER COLUMN account_id SET DATA TYPE VARCHAR(255);
ALTER TABLE ledger_unmapped ALTER COLUMN source_type SET DATA TYPE VARCHAR(255);
ALTER TABLE ledger_unmapped ALTER COLUMN file_name SET DATA TYPE VARCHAR(512);
ALTER TABLE ledger_account ALTER COLUMN account_id SET DATA TYPE VARCHAR(255);
ALTER TABLE fastly_estimate ALTER COLUMN customer_id SET DATA TYPE VARCHAR(255);
