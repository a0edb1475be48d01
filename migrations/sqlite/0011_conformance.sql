-- Conformance (issue 8): assessments are immutable snapshots of every verdict of the requirement
-- catalog, stored as the engine's JSON with its SHA-256 and, per requirement, the verdict (for
-- trends without reading every snapshot); the organization's thresholds (one row, NULL = the
-- catalog's default); and the justifications that make a requirement not applicable once top
-- management approves them.

CREATE TABLE assessments (
    id BLOB PRIMARY KEY NOT NULL,
    created_at TEXT NOT NULL,
    run_trigger TEXT NOT NULL CHECK (run_trigger IN ('manual', 'schedule', 'cli')),
    run_by BLOB REFERENCES accounts (id),
    run_by_label TEXT NOT NULL,
    evaluation TEXT NOT NULL,
    content_sha256 TEXT NOT NULL,
    conforming INTEGER NOT NULL CHECK (conforming >= 0),
    partial INTEGER NOT NULL CHECK (partial >= 0),
    nonconforming INTEGER NOT NULL CHECK (nonconforming >= 0),
    not_applicable INTEGER NOT NULL CHECK (not_applicable >= 0)
);
CREATE INDEX assessments_created_idx ON assessments (created_at, id);

CREATE TABLE assessment_verdicts (
    assessment_id BLOB NOT NULL REFERENCES assessments (id),
    requirement_id TEXT NOT NULL,
    verdict TEXT NOT NULL CHECK (verdict IN ('conforming', 'partial', 'nonconforming',
        'not_applicable')),
    PRIMARY KEY (assessment_id, requirement_id)
);

CREATE TRIGGER assessments_no_update BEFORE UPDATE ON assessments
BEGIN
    SELECT RAISE(ABORT, 'assessments are immutable snapshots: run a new assessment instead');
END;
CREATE TRIGGER assessments_no_delete BEFORE DELETE ON assessments
BEGIN
    SELECT RAISE(ABORT, 'assessments are immutable snapshots: run a new assessment instead');
END;
CREATE TRIGGER assessment_verdicts_no_update BEFORE UPDATE ON assessment_verdicts
BEGIN
    SELECT RAISE(ABORT, 'assessments are immutable snapshots: run a new assessment instead');
END;
CREATE TRIGGER assessment_verdicts_no_delete BEFORE DELETE ON assessment_verdicts
BEGIN
    SELECT RAISE(ABORT, 'assessments are immutable snapshots: run a new assessment instead');
END;

-- One row; a NULL threshold is the catalog's default (`Thresholds::default()`).
CREATE TABLE conformance_thresholds (
    id INTEGER PRIMARY KEY NOT NULL CHECK (id = 1),
    period_days INTEGER CHECK (period_days BETWEEN 1 AND 3650),
    reporting_interval_days INTEGER CHECK (reporting_interval_days BETWEEN 1 AND 3650),
    overdue_actions_percent INTEGER CHECK (overdue_actions_percent BETWEEN 0 AND 100),
    coverage_percent INTEGER CHECK (coverage_percent BETWEEN 0 AND 100),
    updated_at TEXT,
    updated_by BLOB REFERENCES accounts (id)
);
INSERT INTO conformance_thresholds (id) VALUES (1);

-- "In force" is derived when read: approved and not past its expiry.
CREATE TABLE conformance_justifications (
    id BLOB PRIMARY KEY NOT NULL,
    requirement_id TEXT NOT NULL,
    reason TEXT NOT NULL,
    expires_on TEXT,
    status TEXT NOT NULL CHECK (status IN ('requested', 'approved', 'rejected', 'withdrawn')),
    requested_by BLOB NOT NULL REFERENCES accounts (id),
    requested_at TEXT NOT NULL,
    decided_by BLOB REFERENCES accounts (id),
    decided_at TEXT,
    decision_comment TEXT,
    withdrawn_by BLOB REFERENCES accounts (id),
    withdrawn_at TEXT,
    CHECK (status <> 'requested' OR decided_by IS NULL),
    CHECK (status NOT IN ('approved', 'rejected') OR decided_by IS NOT NULL),
    CHECK ((decided_by IS NULL) = (decided_at IS NULL)),
    CHECK ((status = 'withdrawn') = (withdrawn_at IS NOT NULL)),
    -- Nobody decides their own request.
    CHECK (decided_by IS NULL OR decided_by <> requested_by)
);
CREATE INDEX conformance_justifications_requirement_idx
    ON conformance_justifications (requirement_id, status);
-- At most one request awaiting a decision per requirement.
CREATE UNIQUE INDEX conformance_justifications_one_waiting
    ON conformance_justifications (requirement_id) WHERE status = 'requested';
