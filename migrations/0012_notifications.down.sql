DROP TABLE IF EXISTS status_subscriptions;
DROP TABLE IF EXISTS notifications;
DROP TABLE IF EXISTS notification_requests;
