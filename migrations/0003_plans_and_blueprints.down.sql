-- Reverses 0003_plans_and_blueprints: both tables and their indexes; no other object depends on them.
DROP TABLE IF EXISTS blueprints;
DROP TABLE IF EXISTS razorpay_plans;
