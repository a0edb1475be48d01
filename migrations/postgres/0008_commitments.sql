-- Resource commitments, process integration and managers' briefings (5.1.b, 5.1.c, 5.1.h, A.5.4).
-- The key processes of 5.1.b are seeded here, with fixed ids (the same on every installation and
-- both databases); their audit event, `process_catalog.installed`, is written by the first store
-- call that reads or writes processes, because the hash chain is computed by Charter, not by SQL.

CREATE TABLE resource_commitments (
    id UUID PRIMARY KEY NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('financial', 'personnel', 'facilities',
        'technical_infrastructure')),
    description TEXT NOT NULL,
    -- Money in hundredths of the currency's unit, exactly.
    amount_minor BIGINT CHECK (amount_minor > 0),
    currency TEXT,
    fte DOUBLE PRECISION CHECK (fte > 0),
    period_start DATE NOT NULL,
    period_end DATE NOT NULL,
    none_needed BOOLEAN NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('requested', 'approved', 'rejected', 'withdrawn')),
    requested_by UUID NOT NULL REFERENCES people (id),
    requested_at TIMESTAMPTZ NOT NULL,
    decided_by UUID REFERENCES people (id),
    decided_at TIMESTAMPTZ,
    decision_comment TEXT,
    withdrawn_at TIMESTAMPTZ,
    CHECK (period_end >= period_start),
    CHECK ((amount_minor IS NULL) = (currency IS NULL)),
    CHECK (NOT none_needed OR (amount_minor IS NULL AND fte IS NULL AND status = 'approved')),
    CHECK ((status IN ('approved', 'rejected')) = (decided_by IS NOT NULL)),
    -- Nobody decides their own request; "none needed" is top management's own decision.
    CHECK (none_needed OR decided_by IS NULL OR decided_by <> requested_by)
);
CREATE INDEX resource_commitments_status_idx ON resource_commitments (status, requested_at);
CREATE INDEX resource_commitments_period_idx ON resource_commitments (kind, period_end, period_start);
CREATE INDEX resource_commitments_requester_idx ON resource_commitments (requested_by);

CREATE TABLE processes (
    id UUID PRIMARY KEY NOT NULL,
    name TEXT NOT NULL,
    -- The name as its uniqueness is checked, folded by Charter (Rust's lowercase) so that
    -- "État" and "état" clash on both databases: SQLite's lower() folds only A-Z.
    name_key TEXT NOT NULL,
    standard_key TEXT,
    key_process BOOLEAN NOT NULL,
    integration TEXT NOT NULL,
    owner_id UUID REFERENCES people (id),
    evidence TEXT NOT NULL,
    last_verified_on DATE,
    last_verified_by UUID REFERENCES people (id),
    verification_interval_days INTEGER NOT NULL CHECK (verification_interval_days BETWEEN 1 AND 1096),
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX processes_name_key ON processes (name_key);
CREATE UNIQUE INDEX processes_standard_key ON processes (standard_key) WHERE standard_key IS NOT NULL;
CREATE INDEX processes_owner_idx ON processes (owner_id);

-- Whether the seeded catalog's audit event has been written.
CREATE TABLE process_catalog (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    installed_event_at TIMESTAMPTZ
);
INSERT INTO process_catalog (id, installed_event_at) VALUES (1, NULL);

-- The seeded names are ASCII: lower() folds them as Charter does.
INSERT INTO processes (id, name, name_key, standard_key, key_process, integration, owner_id, evidence,
    last_verified_on, last_verified_by, verification_interval_days, created_at, updated_at)
SELECT id::uuid, name, lower(name), standard_key, TRUE, '', NULL, '', NULL, NULL, 365, now(), now()
FROM (
    SELECT '01960000-0000-7000-8000-000000000001' AS id, 'Strategic planning' AS name, 'strategic_planning' AS standard_key
    UNION ALL SELECT '01960000-0000-7000-8000-000000000002', 'Project delivery', 'project_delivery'
    UNION ALL SELECT '01960000-0000-7000-8000-000000000003', 'Budgeting', 'budgeting'
    UNION ALL SELECT '01960000-0000-7000-8000-000000000004', 'Governance', 'governance'
    UNION ALL SELECT '01960000-0000-7000-8000-000000000005', 'Supplier management', 'supplier_management'
    UNION ALL SELECT '01960000-0000-7000-8000-000000000006', 'HR on- and offboarding', 'hr_onboarding_offboarding'
    UNION ALL SELECT '01960000-0000-7000-8000-000000000007', 'Change management', 'change_management'
    UNION ALL SELECT '01960000-0000-7000-8000-000000000008', 'Performance review', 'performance_review'
) AS standard;

CREATE TABLE briefings (
    id UUID PRIMARY KEY NOT NULL,
    manager_id UUID NOT NULL REFERENCES people (id),
    unit_id UUID NOT NULL REFERENCES units (id),
    briefed_on DATE NOT NULL,
    topic TEXT NOT NULL,
    staff_count INTEGER NOT NULL CHECK (staff_count > 0),
    notes TEXT NOT NULL,
    recorded_by UUID NOT NULL REFERENCES people (id),
    recorded_at TIMESTAMPTZ NOT NULL
);
-- Each unit's last briefing, read from the index alone.
CREATE INDEX briefings_unit_idx ON briefings (unit_id, briefed_on);
CREATE INDEX briefings_manager_idx ON briefings (manager_id, briefed_on);
CREATE INDEX briefings_recent_idx ON briefings (briefed_on, id);

CREATE TABLE briefing_attendees (
    briefing_id UUID NOT NULL REFERENCES briefings (id),
    person_id UUID NOT NULL REFERENCES people (id),
    PRIMARY KEY (briefing_id, person_id)
);
