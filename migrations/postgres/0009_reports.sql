-- Performance reports (5.1.e, 5.3.b): the holder of the role flagged `performance_reporter`
-- freezes the state of the ISMS as JSON text with its SHA-256, submits it to top management, and a
-- member of top management other than the generator signs it off with comments. The snapshot
-- never changes; only the sign-off columns are written, once.

CREATE TABLE performance_reports (
    id UUID PRIMARY KEY NOT NULL,
    period_start DATE NOT NULL,
    period_end DATE NOT NULL,
    generated_at TIMESTAMPTZ NOT NULL,
    generated_by UUID NOT NULL REFERENCES accounts (id),
    generated_by_person UUID NOT NULL REFERENCES people (id),
    reporter_role TEXT NOT NULL,
    summary TEXT NOT NULL,
    snapshot TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('submitted', 'signed_off')),
    signed_off_by UUID REFERENCES accounts (id),
    signed_off_at TIMESTAMPTZ,
    sign_off_comments TEXT,
    CHECK ((status = 'signed_off') = (signed_off_by IS NOT NULL)),
    CHECK ((signed_off_by IS NULL) = (signed_off_at IS NULL)),
    CHECK ((signed_off_by IS NULL) = (sign_off_comments IS NULL))
);
CREATE INDEX performance_reports_generated_idx ON performance_reports (generated_at, id);
CREATE INDEX performance_reports_status_idx ON performance_reports (status, generated_at);

-- Top management is told when a report is submitted: the accounts holding the `top_management`
-- tool role are found by role (the key of `account_roles` starts with the account).
CREATE INDEX account_roles_role_idx ON account_roles (role, account_id);
