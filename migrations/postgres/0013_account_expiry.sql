-- Time-limited accounts (an auditor's engagement): the last day, in UTC, an account may be used.
-- From the next day it cannot sign in, and the query that reads the caller on every request
-- refuses its sessions and API tokens. NULL: no end.
ALTER TABLE accounts ADD COLUMN expires_on DATE;
