DROP TABLE IF EXISTS scheduler_leader;
DROP TABLE IF EXISTS incident_pages;
