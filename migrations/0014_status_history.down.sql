DROP TABLE IF EXISTS component_state_history;
