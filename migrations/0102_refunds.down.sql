DROP TABLE IF EXISTS refunds;
DROP FUNCTION IF EXISTS update_refunds_updated_at();
