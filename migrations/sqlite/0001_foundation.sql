-- Foundation: the organization profile, units, people and the audit chain.
-- Ids are UUIDv7 stored as 16-byte BLOBs; times are RFC 3339 text in UTC; dates are YYYY-MM-DD.

CREATE TABLE organization (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    name TEXT NOT NULL DEFAULT '',
    purpose TEXT NOT NULL DEFAULT '',
    isms_scope TEXT NOT NULL DEFAULT '',
    strategic_themes TEXT NOT NULL DEFAULT '[]',
    updated_at TEXT
);
INSERT INTO organization (id) VALUES (1);

CREATE TABLE units (
    id BLOB PRIMARY KEY NOT NULL,
    name TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    parent_id BLOB REFERENCES units (id) DEFERRABLE INITIALLY DEFERRED,
    head_id BLOB REFERENCES people (id) DEFERRABLE INITIALLY DEFERRED,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE UNIQUE INDEX units_name_key ON units (lower(name));
CREATE INDEX units_parent_idx ON units (parent_id);
CREATE INDEX units_head_idx ON units (head_id);

CREATE TABLE people (
    id BLOB PRIMARY KEY NOT NULL,
    name TEXT NOT NULL,
    email TEXT NOT NULL,
    job_title TEXT NOT NULL DEFAULT '',
    unit_id BLOB REFERENCES units (id) DEFERRABLE INITIALLY DEFERRED,
    manager_id BLOB REFERENCES people (id) DEFERRABLE INITIALLY DEFERRED,
    kind TEXT NOT NULL CHECK (kind IN ('employee', 'contractor', 'external')),
    status TEXT NOT NULL CHECK (status IN ('active', 'on_leave', 'departed')),
    departed_on TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    CHECK ((status = 'departed') = (departed_on IS NOT NULL))
);
CREATE UNIQUE INDEX people_email_key ON people (lower(email));
CREATE INDEX people_name_idx ON people (name, id);
CREATE INDEX people_unit_idx ON people (unit_id);
CREATE INDEX people_manager_idx ON people (manager_id);

CREATE TABLE audit_events (
    seq INTEGER PRIMARY KEY NOT NULL,
    occurred_at TEXT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    record_type TEXT NOT NULL,
    record_id TEXT NOT NULL,
    record_digest TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);
CREATE INDEX audit_events_record_idx ON audit_events (record_type, record_id);

CREATE TABLE audit_head (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    seq INTEGER NOT NULL,
    hash TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');
