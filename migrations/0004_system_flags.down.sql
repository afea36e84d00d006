-- Reverses 0004_system_flags: the flags table, its trigger and function (the audit rows stay).
DROP TRIGGER IF EXISTS trigger_notify_flags ON system_flags;
DROP FUNCTION IF EXISTS polaris_notify_flags();
DROP TABLE IF EXISTS system_flags;
