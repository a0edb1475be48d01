-- Management reviews (5.1.g): a draft prepared by the ISMS team, chaired by top management, with
-- its attendees, minutes and typed decisions; the chair's sign-off freezes the inputs Charter
-- assembled (JSON with its SHA-256) and locks the record. Improvement actions come from a review's
-- decision, an audit finding, an incident, a concern or elsewhere; overdue is read from the date.

CREATE TABLE management_reviews (
    id UUID PRIMARY KEY NOT NULL,
    title TEXT NOT NULL,
    held_on DATE NOT NULL,
    chair_id UUID NOT NULL REFERENCES people (id),
    minutes TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('draft', 'signed')),
    prepared_by UUID NOT NULL REFERENCES accounts (id),
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    signed_by UUID REFERENCES accounts (id),
    signed_at TIMESTAMPTZ,
    pack TEXT,
    pack_sha256 TEXT,
    CHECK ((status = 'signed') = (signed_by IS NOT NULL AND signed_at IS NOT NULL
        AND pack IS NOT NULL AND pack_sha256 IS NOT NULL))
);
CREATE INDEX management_reviews_held_idx ON management_reviews (held_on, id);
CREATE INDEX management_reviews_chair_idx ON management_reviews (chair_id, status);

CREATE TABLE review_attendees (
    review_id UUID NOT NULL REFERENCES management_reviews (id),
    person_id UUID NOT NULL REFERENCES people (id),
    PRIMARY KEY (review_id, person_id)
);

CREATE TABLE review_decisions (
    id UUID PRIMARY KEY NOT NULL,
    review_id UUID NOT NULL REFERENCES management_reviews (id),
    kind TEXT NOT NULL CHECK (kind IN ('resources', 'improvement', 'policy_change',
        'objective_change', 'risk_acceptance')),
    decision_text TEXT NOT NULL,
    created_by UUID NOT NULL REFERENCES accounts (id),
    created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX review_decisions_review_idx ON review_decisions (review_id, created_at);

CREATE TABLE improvement_actions (
    id UUID PRIMARY KEY NOT NULL,
    title TEXT NOT NULL,
    description TEXT NOT NULL,
    source TEXT NOT NULL CHECK (source IN ('management_review', 'audit_finding', 'incident',
        'concern', 'other')),
    review_id UUID REFERENCES management_reviews (id),
    decision_id UUID REFERENCES review_decisions (id),
    owner_id UUID NOT NULL REFERENCES people (id),
    due_on DATE NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('open', 'in_progress', 'done', 'cancelled')),
    evidence TEXT NOT NULL,
    -- The day it was done or cancelled.
    completed_on DATE,
    created_by UUID NOT NULL REFERENCES accounts (id),
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    CHECK ((source = 'management_review') = (review_id IS NOT NULL AND decision_id IS NOT NULL)),
    CHECK ((status IN ('done', 'cancelled')) = (completed_on IS NOT NULL)),
    CHECK (status <> 'done' OR evidence <> '')
);
-- The overdue list and the counts read the status and due date from the index alone.
CREATE INDEX improvement_actions_status_idx ON improvement_actions (status, due_on);
CREATE INDEX improvement_actions_owner_idx ON improvement_actions (owner_id, status, due_on);
CREATE INDEX improvement_actions_review_idx ON improvement_actions (review_id, decision_id);
CREATE INDEX improvement_actions_decision_idx ON improvement_actions (decision_id);
