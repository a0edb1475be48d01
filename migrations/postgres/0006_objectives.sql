-- objectives and their append-only measurements (5.1.a, 5.1.e)

CREATE TABLE objectives (
    id UUID PRIMARY KEY NOT NULL,
    statement TEXT NOT NULL,
    metric TEXT NOT NULL,
    unit TEXT NOT NULL,
    target DOUBLE PRECISION NOT NULL,
    direction TEXT NOT NULL CHECK (direction IN ('at_least', 'at_most')),
    owner_id UUID NOT NULL REFERENCES people (id),
    due_on DATE NOT NULL,
    interval_days INTEGER NOT NULL CHECK (interval_days BETWEEN 1 AND 366),
    -- 5.1.a: every objective serves a strategic theme.
    theme TEXT NOT NULL CHECK (theme <> ''),
    policy_id UUID REFERENCES policies (id),
    retired_at TIMESTAMPTZ,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX objectives_owner_idx ON objectives (owner_id, retired_at);
CREATE INDEX objectives_active_idx ON objectives (retired_at, theme);

-- Append-only: a correction is a new row naming the one it corrects, at most one per row.
CREATE TABLE objective_measurements (
    id UUID PRIMARY KEY NOT NULL,
    objective_id UUID NOT NULL REFERENCES objectives (id),
    value DOUBLE PRECISION NOT NULL,
    measured_at TIMESTAMPTZ NOT NULL,
    source TEXT NOT NULL,
    recorded_by UUID NOT NULL REFERENCES accounts (id),
    recorded_at TIMESTAMPTZ NOT NULL,
    corrects_id UUID REFERENCES objective_measurements (id)
);
CREATE INDEX objective_measurements_series_idx ON objective_measurements (objective_id, measured_at);
CREATE UNIQUE INDEX objective_measurements_corrects_key ON objective_measurements (corrects_id)
    WHERE corrects_id IS NOT NULL;

CREATE FUNCTION objective_measurements_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'measurements are append-only: record a correction instead';
END;
$$;
CREATE TRIGGER objective_measurements_append_only BEFORE UPDATE OR DELETE ON objective_measurements
    FOR EACH ROW EXECUTE FUNCTION objective_measurements_append_only();
