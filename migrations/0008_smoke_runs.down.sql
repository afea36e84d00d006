DROP TABLE smoke_runs;
