-- IF EXISTS: after the runbook's rollback SQL (pasted by hand) the table may be gone already.
ALTER TABLE IF EXISTS subscriptions DROP COLUMN IF EXISTS short_url;
