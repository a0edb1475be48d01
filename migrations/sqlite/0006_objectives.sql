-- objectives and their append-only measurements (5.1.a, 5.1.e)

CREATE TABLE objectives (
    id BLOB PRIMARY KEY NOT NULL,
    statement TEXT NOT NULL,
    metric TEXT NOT NULL,
    unit TEXT NOT NULL,
    target REAL NOT NULL,
    direction TEXT NOT NULL CHECK (direction IN ('at_least', 'at_most')),
    owner_id BLOB NOT NULL REFERENCES people (id),
    due_on TEXT NOT NULL,
    interval_days INTEGER NOT NULL CHECK (interval_days BETWEEN 1 AND 366),
    -- 5.1.a: every objective serves a strategic theme.
    theme TEXT NOT NULL CHECK (theme <> ''),
    policy_id BLOB REFERENCES policies (id),
    retired_at TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX objectives_owner_idx ON objectives (owner_id, retired_at);
CREATE INDEX objectives_active_idx ON objectives (retired_at, theme);

-- Append-only: a correction is a new row naming the one it corrects, at most one per row.
CREATE TABLE objective_measurements (
    id BLOB PRIMARY KEY NOT NULL,
    objective_id BLOB NOT NULL REFERENCES objectives (id),
    value REAL NOT NULL,
    measured_at TEXT NOT NULL,
    source TEXT NOT NULL,
    recorded_by BLOB NOT NULL REFERENCES accounts (id),
    recorded_at TEXT NOT NULL,
    corrects_id BLOB REFERENCES objective_measurements (id)
);
CREATE INDEX objective_measurements_series_idx ON objective_measurements (objective_id, measured_at);
CREATE UNIQUE INDEX objective_measurements_corrects_key ON objective_measurements (corrects_id)
    WHERE corrects_id IS NOT NULL;

CREATE TRIGGER objective_measurements_no_update BEFORE UPDATE ON objective_measurements
BEGIN
    SELECT RAISE(ABORT, 'measurements are append-only: record a correction instead');
END;
CREATE TRIGGER objective_measurements_no_delete BEFORE DELETE ON objective_measurements
BEGIN
    SELECT RAISE(ABORT, 'measurements are append-only: record a correction instead');
END;
