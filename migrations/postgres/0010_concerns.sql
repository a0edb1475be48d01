-- the confidential reporting channel: concerns, follow-up codes and the answers (A.6.8)
--
-- What is kept of a report is what the reporter wrote (category, description, a contact only if
-- given), the time it was received and the conversation. No column names an account, an
-- address, a browser or a session; the follow-up code is kept only as its SHA-256.

-- One row: the organization's settings for the channel, changed by concern handlers (audited).
CREATE TABLE concern_settings (
    id INTEGER PRIMARY KEY NOT NULL CHECK (id = 1),
    channel_enabled BOOLEAN NOT NULL,
    receipt_days BIGINT NOT NULL CHECK (receipt_days BETWEEN 1 AND 30),
    response_days BIGINT NOT NULL CHECK (response_days BETWEEN 1 AND 90),
    -- New reports and replies each have their own budget across everyone, so a flood of one
    -- never stops the other.
    reports_per_minute BIGINT NOT NULL CHECK (reports_per_minute BETWEEN 1 AND 1000),
    replies_per_minute BIGINT NOT NULL CHECK (replies_per_minute BETWEEN 1 AND 1000),
    updated_at TIMESTAMPTZ
);
INSERT INTO concern_settings (id, channel_enabled, receipt_days, response_days, reports_per_minute,
    replies_per_minute)
VALUES (1, TRUE, 2, 7, 30, 30);

CREATE TABLE concerns (
    id UUID PRIMARY KEY NOT NULL,
    code_hash TEXT NOT NULL,
    category TEXT NOT NULL CHECK (category IN ('security_incident', 'policy_breach', 'misconduct',
        'vulnerability', 'privacy', 'other')),
    description TEXT NOT NULL,
    contact TEXT,
    status TEXT NOT NULL CHECK (status IN ('received', 'acknowledged', 'in_progress', 'closed')),
    received_at TIMESTAMPTZ NOT NULL,
    -- The targets in force when the concern arrived: a later change of setting moves no deadline.
    receipt_due_at TIMESTAMPTZ NOT NULL,
    response_due_at TIMESTAMPTZ NOT NULL,
    acknowledged_at TIMESTAMPTZ,
    first_answered_at TIMESTAMPTZ,
    closed_at TIMESTAMPTZ,
    CHECK ((status = 'closed') = (closed_at IS NOT NULL)),
    CHECK (status = 'received' OR acknowledged_at IS NOT NULL)
);
CREATE UNIQUE INDEX concerns_code_hash_key ON concerns (code_hash);
CREATE INDEX concerns_received_at ON concerns (received_at);
CREATE INDEX concerns_open ON concerns (status) WHERE status <> 'closed';

CREATE TABLE concern_messages (
    id UUID PRIMARY KEY NOT NULL,
    concern_id UUID NOT NULL REFERENCES concerns (id),
    author TEXT NOT NULL CHECK (author IN ('reporter', 'handler')),
    -- The handler who answered; never anyone for the reporter's side.
    handler_id UUID REFERENCES accounts (id),
    body TEXT NOT NULL,
    -- The message's place in its conversation (1 first): ids are random and times whole
    -- seconds, so neither gives the order.
    seq BIGINT NOT NULL CHECK (seq >= 1),
    sent_at TIMESTAMPTZ NOT NULL,
    CHECK ((author = 'handler') = (handler_id IS NOT NULL))
);
CREATE UNIQUE INDEX concern_messages_concern ON concern_messages (concern_id, seq);
CREATE INDEX concern_messages_replies ON concern_messages (sent_at) WHERE author = 'reporter';
