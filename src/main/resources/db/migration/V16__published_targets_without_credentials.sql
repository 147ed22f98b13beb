-- A user and password in the ledger bucket's endpoint are refused from this version on; an older one wrote them
-- into ledger_published.target. Scrubbed, so that the endpoint without them names the same target and no month
-- is published again (a month recorded under both forms keeps one row).
DELETE FROM ledger_published p WHERE target LIKE '%://%@%' AND EXISTS (SELECT 1 FROM ledger_published q
    WHERE q.billing_month = p.billing_month AND q.target = REGEXP_REPLACE(p.target, '://[^/@]*@', '://'));
UPDATE ledger_published SET target = REGEXP_REPLACE(target, '://[^/@]*@', '://') WHERE target LIKE '%://%@%';
