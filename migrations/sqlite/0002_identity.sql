-- Identity: accounts linked to people, their roles in the tool, sessions, API tokens,
-- the one-time setup link, and sign-in failures for throttling. Secrets are stored as SHA-256
-- hashes (tokens) or argon2id strings (passwords), never in the clear.

CREATE TABLE accounts (
    id BLOB PRIMARY KEY NOT NULL,
    person_id BLOB NOT NULL UNIQUE REFERENCES people (id),
    password_hash TEXT,
    disabled_at TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE account_roles (
    account_id BLOB NOT NULL REFERENCES accounts (id),
    role TEXT NOT NULL CHECK (role IN ('admin', 'isms_manager', 'top_management', 'manager', 'staff', 'auditor', 'concern_handler')),
    granted_at TEXT NOT NULL,
    PRIMARY KEY (account_id, role)
);

CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY NOT NULL,
    account_id BLOB NOT NULL REFERENCES accounts (id),
    csrf_token TEXT NOT NULL,
    created_at TEXT NOT NULL,
    last_seen_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
CREATE INDEX sessions_account_idx ON sessions (account_id);

CREATE TABLE api_tokens (
    id BLOB PRIMARY KEY NOT NULL,
    account_id BLOB NOT NULL REFERENCES accounts (id),
    name TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    scope TEXT NOT NULL CHECK (scope IN ('read', 'write')),
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    last_used_at TEXT,
    revoked_at TEXT
);
CREATE INDEX api_tokens_account_idx ON api_tokens (account_id);

CREATE TABLE setup_tokens (
    token_hash TEXT PRIMARY KEY NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at TEXT
);

CREATE TABLE sign_in_failures (
    throttle_key TEXT PRIMARY KEY NOT NULL,
    failures INTEGER NOT NULL,
    last_failure_at TEXT NOT NULL
);
