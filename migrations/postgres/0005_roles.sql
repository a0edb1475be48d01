-- Roles, responsibilities and authorities (5.3, A.5.2, A.5.3): the organization's role catalog,
-- dated assignments the holder acknowledges, competence evidence, delegated tasks, ISMS activities
-- and the RACI matrix, segregation-of-duties rules and their exceptions, and escalation paths.

CREATE TABLE org_roles (
    id UUID PRIMARY KEY NOT NULL,
    name TEXT NOT NULL,
    category TEXT NOT NULL CHECK (category IN ('top_management', 'isms_governance',
        'information_owner', 'asset_owner', 'risk_owner', 'process_owner', 'line_manager',
        'all_staff', 'custom')),
    purpose TEXT NOT NULL,
    responsibilities TEXT NOT NULL,
    authorities TEXT NOT NULL,
    competence TEXT NOT NULL,
    required BOOLEAN NOT NULL,
    critical BOOLEAN NOT NULL,
    conformance_owner BOOLEAN NOT NULL,
    performance_reporter BOOLEAN NOT NULL,
    grants TEXT,
    position INTEGER NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX org_roles_name_key ON org_roles (lower(name));
-- Clause 5.3 names two duties; one role carries each.
CREATE UNIQUE INDEX org_roles_conformance_owner_key ON org_roles (conformance_owner) WHERE conformance_owner;
CREATE UNIQUE INDEX org_roles_performance_reporter_key ON org_roles (performance_reporter) WHERE performance_reporter;

CREATE TABLE sod_rules (
    id UUID PRIMARY KEY NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('roles', 'duties')),
    role_a UUID REFERENCES org_roles (id),
    role_b UUID REFERENCES org_roles (id),
    activity_a UUID,
    duty_a TEXT,
    activity_b UUID,
    duty_b TEXT,
    rationale TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    removed_at TIMESTAMPTZ,
    CHECK ((kind = 'roles') = (role_a IS NOT NULL AND role_b IS NOT NULL)),
    CHECK ((kind = 'duties') = (activity_a IS NOT NULL AND activity_b IS NOT NULL
        AND duty_a IS NOT NULL AND duty_b IS NOT NULL))
);

CREATE TABLE sod_exceptions (
    id UUID PRIMARY KEY NOT NULL,
    rule_id UUID NOT NULL REFERENCES sod_rules (id),
    person_id UUID NOT NULL REFERENCES people (id),
    justification TEXT NOT NULL,
    compensating_controls TEXT NOT NULL,
    expires_on DATE NOT NULL,
    requested_by UUID NOT NULL REFERENCES accounts (id),
    requested_at TIMESTAMPTZ NOT NULL,
    decision TEXT NOT NULL CHECK (decision IN ('requested', 'approved', 'rejected')),
    decided_by UUID REFERENCES accounts (id),
    decided_at TIMESTAMPTZ,
    decision_note TEXT,
    CHECK ((decision = 'requested') = (decided_by IS NULL))
);
CREATE INDEX sod_exceptions_person_idx ON sod_exceptions (person_id, rule_id);

CREATE TABLE role_assignments (
    id UUID PRIMARY KEY NOT NULL,
    role_id UUID NOT NULL REFERENCES org_roles (id),
    person_id UUID NOT NULL REFERENCES people (id),
    scope_kind TEXT NOT NULL CHECK (scope_kind IN ('organization', 'unit', 'asset', 'process')),
    scope_unit_id UUID REFERENCES units (id),
    scope_name TEXT,
    deputy BOOLEAN NOT NULL,
    starts_on DATE NOT NULL,
    ends_on DATE,
    reason TEXT NOT NULL,
    assigned_by UUID NOT NULL REFERENCES accounts (id),
    sod_exception_id UUID REFERENCES sod_exceptions (id),
    acknowledged_at TIMESTAMPTZ,
    acknowledged_by UUID REFERENCES accounts (id),
    acknowledged_statement TEXT,
    handover_flagged_at TIMESTAMPTZ,
    end_reason TEXT,
    created_at TIMESTAMPTZ NOT NULL,
    CHECK (ends_on IS NULL OR ends_on >= starts_on),
    CHECK ((scope_kind = 'unit') = (scope_unit_id IS NOT NULL)),
    CHECK ((scope_kind IN ('asset', 'process')) = (scope_name IS NOT NULL))
);
-- Who holds a role on a day, read from the indexes alone: segregation of duties and the gap
-- report count hundreds of thousands of assignments without reading their rows.
CREATE INDEX role_assignments_role_idx ON role_assignments (role_id, starts_on, ends_on, person_id, deputy, id);
CREATE INDEX role_assignments_person_idx ON role_assignments (person_id, role_id, starts_on, ends_on);
CREATE INDEX role_assignments_ends_idx ON role_assignments (ends_on, starts_on, person_id, role_id) WHERE ends_on IS NOT NULL;
CREATE INDEX role_assignments_unacknowledged_idx ON role_assignments (role_id, starts_on, ends_on, person_id) WHERE acknowledged_at IS NULL;

CREATE TABLE competence_evidence (
    id UUID PRIMARY KEY NOT NULL,
    assignment_id UUID NOT NULL REFERENCES role_assignments (id),
    kind TEXT NOT NULL CHECK (kind IN ('training', 'certification', 'experience')),
    description TEXT NOT NULL,
    obtained_on DATE NOT NULL,
    expires_on DATE,
    recorded_by UUID NOT NULL REFERENCES accounts (id),
    recorded_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX competence_evidence_assignment_idx ON competence_evidence (assignment_id, expires_on);

CREATE TABLE delegations (
    id UUID PRIMARY KEY NOT NULL,
    assignment_id UUID NOT NULL REFERENCES role_assignments (id),
    delegate_person_id UUID REFERENCES people (id),
    delegate_provider TEXT,
    task TEXT NOT NULL,
    starts_on DATE NOT NULL,
    ends_on DATE NOT NULL,
    created_by UUID NOT NULL REFERENCES accounts (id),
    created_at TIMESTAMPTZ NOT NULL,
    revoked_at TIMESTAMPTZ,
    CHECK ((delegate_person_id IS NULL) <> (delegate_provider IS NULL)),
    CHECK (ends_on >= starts_on)
);
CREATE INDEX delegations_assignment_idx ON delegations (assignment_id);
CREATE INDEX delegations_delegate_idx ON delegations (delegate_person_id);

CREATE TABLE isms_activities (
    id UUID PRIMARY KEY NOT NULL,
    name TEXT NOT NULL,
    description TEXT NOT NULL,
    position INTEGER NOT NULL,
    created_at TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX isms_activities_name_key ON isms_activities (lower(name));

CREATE TABLE raci_cells (
    activity_id UUID NOT NULL REFERENCES isms_activities (id),
    role_id UUID NOT NULL REFERENCES org_roles (id),
    duty TEXT NOT NULL CHECK (duty IN ('responsible', 'accountable', 'consulted', 'informed')),
    PRIMARY KEY (activity_id, role_id)
);
-- Exactly one role is Accountable for an activity (none is a gap the report shows).
CREATE UNIQUE INDEX raci_cells_one_accountable_key ON raci_cells (activity_id) WHERE duty = 'accountable';
CREATE INDEX raci_cells_role_idx ON raci_cells (role_id);

CREATE TABLE escalation_steps (
    matter TEXT NOT NULL CHECK (matter IN ('security_incident', 'policy_breach', 'concern')),
    position INTEGER NOT NULL,
    role_id UUID NOT NULL REFERENCES org_roles (id),
    PRIMARY KEY (matter, position)
);
