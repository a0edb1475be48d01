-- Communication and acknowledgment (5.2.f, 5.1.d, A.6.3): campaigns that send a published policy
-- version to an audience, one acknowledgment row per person asked (keyed by campaign and person,
-- so a launch is one INSERT ... SELECT), the outbox every email passes through, the leases that
-- elect one instance to run background jobs, and top-management communications.

CREATE TABLE campaigns (
    id UUID PRIMARY KEY NOT NULL,
    policy_id UUID NOT NULL REFERENCES policies (id),
    version_id UUID NOT NULL REFERENCES policy_versions (id),
    title TEXT NOT NULL,
    audience TEXT NOT NULL,
    due_on DATE NOT NULL,
    days_to_acknowledge INTEGER NOT NULL CHECK (days_to_acknowledge >= 0),
    statement TEXT NOT NULL,
    reminders TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('open', 'closed')),
    launched_by UUID NOT NULL REFERENCES accounts (id),
    launched_at TIMESTAMPTZ NOT NULL,
    closed_at TIMESTAMPTZ,
    last_reminded_on DATE
);
CREATE INDEX campaigns_policy_idx ON campaigns (policy_id);
CREATE INDEX campaigns_open_idx ON campaigns (status) WHERE status = 'open';

CREATE TABLE acknowledgments (
    campaign_id UUID NOT NULL REFERENCES campaigns (id),
    person_id UUID NOT NULL REFERENCES people (id),
    assigned_at TIMESTAMPTZ NOT NULL,
    due_on DATE NOT NULL,
    joined_late BOOLEAN NOT NULL,
    acknowledged_at TIMESTAMPTZ,
    account_id UUID REFERENCES accounts (id),
    version_id UUID REFERENCES policy_versions (id),
    content_hash TEXT,
    statement TEXT,
    PRIMARY KEY (campaign_id, person_id),
    CHECK ((acknowledged_at IS NULL) = (version_id IS NULL))
);
CREATE INDEX acknowledgments_person_idx ON acknowledgments (person_id);
-- Counts per campaign (acknowledged, pending, overdue) and per day are read from this index only.
CREATE INDEX acknowledgments_campaign_day_idx ON acknowledgments (campaign_id, acknowledged_at, due_on);
-- The audience sync removes the pending acknowledgments of people who departed on every run.
CREATE INDEX people_departed_idx ON people (id) WHERE status = 'departed';

CREATE TABLE outbox (
    id UUID PRIMARY KEY NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('reminder', 'manual_reminder', 'communication', 'notice')),
    dedupe_key TEXT NOT NULL UNIQUE,
    to_person_id UUID REFERENCES people (id),
    to_address TEXT NOT NULL,
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    campaign_id UUID REFERENCES campaigns (id),
    communication_id UUID,
    status TEXT NOT NULL CHECK (status IN ('queued', 'sent', 'failed', 'held', 'withdrawn')),
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMPTZ NOT NULL,
    last_error TEXT,
    created_at TIMESTAMPTZ NOT NULL,
    sent_at TIMESTAMPTZ
);
CREATE INDEX outbox_due_idx ON outbox (next_attempt_at) WHERE status = 'queued';
CREATE INDEX outbox_created_idx ON outbox (created_at);

CREATE TABLE job_leases (
    name TEXT PRIMARY KEY NOT NULL,
    holder TEXT NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE communications (
    id UUID PRIMARY KEY NOT NULL,
    author_id UUID NOT NULL REFERENCES accounts (id),
    audience TEXT NOT NULL,
    channel TEXT NOT NULL CHECK (channel IN ('email', 'meeting', 'town_hall', 'intranet', 'newsletter', 'video', 'other')),
    communicated_on DATE NOT NULL,
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    link TEXT,
    emails_queued INTEGER NOT NULL,
    created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX communications_on_idx ON communications (communicated_on);

-- When the expiry job recorded that an approved exception lapsed (an event and a notice, once).
ALTER TABLE policy_exceptions ADD COLUMN expiry_recorded_at TIMESTAMPTZ;
