-- Policies (5.2, A.5.1): the top-level information security policy and topic-specific ones,
-- their versions and lifecycle, sign-offs and comments, reviews, exceptions, and share links
-- for restricted policies. Approved and published versions are never edited: a change is a new
-- draft. Share-link tokens are stored as SHA-256 hashes.

CREATE TABLE policies (
    id UUID PRIMARY KEY NOT NULL,
    title TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('top_level', 'topic_specific')),
    owner_id UUID NOT NULL REFERENCES people (id),
    approver_role TEXT NOT NULL CHECK (approver_role IN ('top_management', 'isms_manager')),
    audience TEXT NOT NULL,
    review_interval_months INTEGER NOT NULL CHECK (review_interval_months BETWEEN 1 AND 36),
    visibility TEXT NOT NULL CHECK (visibility IN ('internal', 'public', 'restricted')),
    visibility_rationale TEXT NOT NULL,
    quorum INTEGER NOT NULL CHECK (quorum BETWEEN 1 AND 5),
    last_reviewed_on DATE,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX policies_one_top_level ON policies (kind) WHERE kind = 'top_level';
CREATE UNIQUE INDEX policies_title_key ON policies (lower(title));

CREATE TABLE policy_versions (
    id UUID PRIMARY KEY NOT NULL,
    policy_id UUID NOT NULL REFERENCES policies (id),
    major INTEGER NOT NULL,
    minor INTEGER NOT NULL,
    is_major BOOLEAN NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('draft', 'in_review', 'approved', 'published', 'superseded', 'retired')),
    body TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    change_summary TEXT NOT NULL,
    author_id UUID NOT NULL REFERENCES accounts (id),
    submitted_by UUID REFERENCES accounts (id),
    submitted_at TIMESTAMPTZ,
    review_round INTEGER NOT NULL,
    approved_at TIMESTAMPTZ,
    published_by UUID REFERENCES accounts (id),
    published_at TIMESTAMPTZ,
    retired_at TIMESTAMPTZ,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    UNIQUE (policy_id, major, minor)
);
CREATE UNIQUE INDEX policy_versions_one_open ON policy_versions (policy_id)
    WHERE status IN ('draft', 'in_review', 'approved');
CREATE UNIQUE INDEX policy_versions_one_published ON policy_versions (policy_id)
    WHERE status = 'published';

CREATE TABLE policy_version_contributors (
    version_id UUID NOT NULL REFERENCES policy_versions (id),
    account_id UUID NOT NULL REFERENCES accounts (id),
    PRIMARY KEY (version_id, account_id)
);

CREATE TABLE policy_decisions (
    id UUID PRIMARY KEY NOT NULL,
    version_id UUID NOT NULL REFERENCES policy_versions (id),
    account_id UUID NOT NULL REFERENCES accounts (id),
    approved BOOLEAN NOT NULL,
    statement TEXT NOT NULL,
    held_role TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    review_round INTEGER NOT NULL,
    decided_at TIMESTAMPTZ NOT NULL,
    UNIQUE (version_id, account_id, review_round)
);

CREATE TABLE policy_comments (
    id UUID PRIMARY KEY NOT NULL,
    version_id UUID NOT NULL REFERENCES policy_versions (id),
    account_id UUID NOT NULL REFERENCES accounts (id),
    body TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX policy_comments_version_idx ON policy_comments (version_id);

CREATE TABLE policy_reviews (
    id UUID PRIMARY KEY NOT NULL,
    policy_id UUID NOT NULL REFERENCES policies (id),
    version_id UUID NOT NULL REFERENCES policy_versions (id),
    account_id UUID NOT NULL REFERENCES accounts (id),
    note TEXT NOT NULL,
    reviewed_on DATE NOT NULL,
    created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX policy_reviews_policy_idx ON policy_reviews (policy_id);

CREATE TABLE policy_exceptions (
    id UUID PRIMARY KEY NOT NULL,
    policy_id UUID NOT NULL REFERENCES policies (id),
    scope TEXT NOT NULL,
    justification TEXT NOT NULL,
    risk TEXT NOT NULL,
    compensating_controls TEXT NOT NULL,
    requested_expiry DATE NOT NULL,
    requested_by UUID NOT NULL REFERENCES accounts (id),
    status TEXT NOT NULL CHECK (status IN ('requested', 'approved', 'rejected', 'withdrawn')),
    decided_by UUID REFERENCES accounts (id),
    decided_at TIMESTAMPTZ,
    decision_note TEXT NOT NULL,
    expires_on DATE,
    renewal_of UUID REFERENCES policy_exceptions (id),
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    CHECK ((status = 'approved') = (expires_on IS NOT NULL))
);
CREATE INDEX policy_exceptions_policy_idx ON policy_exceptions (policy_id, status);

CREATE TABLE policy_share_links (
    id UUID PRIMARY KEY NOT NULL,
    policy_id UUID NOT NULL REFERENCES policies (id),
    token_hash TEXT NOT NULL UNIQUE,
    label TEXT NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL,
    revoked_at TIMESTAMPTZ,
    created_by UUID NOT NULL REFERENCES accounts (id),
    created_at TIMESTAMPTZ NOT NULL,
    access_count BIGINT NOT NULL,
    last_accessed_at TIMESTAMPTZ
);
CREATE INDEX policy_share_links_policy_idx ON policy_share_links (policy_id);
