DROP TABLE IF EXISTS incident_timeline;
DROP TABLE IF EXISTS incidents;
