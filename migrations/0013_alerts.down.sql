DROP INDEX IF EXISTS request_logs_path_timestamp_idx;
DROP TABLE IF EXISTS alert_states;
