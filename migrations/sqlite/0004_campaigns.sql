-- Communication and acknowledgment (5.2.f, 5.1.d, A.6.3): campaigns that send a published policy
-- version to an audience, one acknowledgment row per person asked (keyed by campaign and person,
-- so a launch is one INSERT ... SELECT), the outbox every email passes through, the leases that
-- elect one instance to run background jobs, and top-management communications.

CREATE TABLE campaigns (
    id BLOB PRIMARY KEY NOT NULL,
    policy_id BLOB NOT NULL REFERENCES policies (id),
    version_id BLOB NOT NULL REFERENCES policy_versions (id),
    title TEXT NOT NULL,
    audience TEXT NOT NULL,
    due_on TEXT NOT NULL,
    days_to_acknowledge INTEGER NOT NULL CHECK (days_to_acknowledge >= 0),
    statement TEXT NOT NULL,
    reminders TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('open', 'closed')),
    launched_by BLOB NOT NULL REFERENCES accounts (id),
    launched_at TEXT NOT NULL,
    closed_at TEXT,
    last_reminded_on TEXT
);
CREATE INDEX campaigns_policy_idx ON campaigns (policy_id);
CREATE INDEX campaigns_open_idx ON campaigns (status) WHERE status = 'open';

CREATE TABLE acknowledgments (
    campaign_id BLOB NOT NULL REFERENCES campaigns (id),
    person_id BLOB NOT NULL REFERENCES people (id),
    assigned_at TEXT NOT NULL,
    due_on TEXT NOT NULL,
    joined_late BOOLEAN NOT NULL,
    acknowledged_at TEXT,
    account_id BLOB REFERENCES accounts (id),
    version_id BLOB REFERENCES policy_versions (id),
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
    id BLOB PRIMARY KEY NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('reminder', 'manual_reminder', 'communication', 'notice')),
    dedupe_key TEXT NOT NULL UNIQUE,
    to_person_id BLOB REFERENCES people (id),
    to_address TEXT NOT NULL,
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    campaign_id BLOB REFERENCES campaigns (id),
    communication_id BLOB,
    status TEXT NOT NULL CHECK (status IN ('queued', 'sent', 'failed', 'held', 'withdrawn')),
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT NOT NULL,
    last_error TEXT,
    created_at TEXT NOT NULL,
    sent_at TEXT
);
CREATE INDEX outbox_due_idx ON outbox (next_attempt_at) WHERE status = 'queued';
CREATE INDEX outbox_created_idx ON outbox (created_at);

CREATE TABLE job_leases (
    name TEXT PRIMARY KEY NOT NULL,
    holder TEXT NOT NULL,
    expires_at TEXT NOT NULL
);

CREATE TABLE communications (
    id BLOB PRIMARY KEY NOT NULL,
    author_id BLOB NOT NULL REFERENCES accounts (id),
    audience TEXT NOT NULL,
    channel TEXT NOT NULL CHECK (channel IN ('email', 'meeting', 'town_hall', 'intranet', 'newsletter', 'video', 'other')),
    communicated_on TEXT NOT NULL,
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    link TEXT,
    emails_queued INTEGER NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX communications_on_idx ON communications (communicated_on);

-- When the expiry job recorded that an approved exception lapsed (an event and a notice, once).
ALTER TABLE policy_exceptions ADD COLUMN expiry_recorded_at TEXT;
