-- 003: requests for help filed at a login prompt, the one-time approval codes
-- administrators issue for them, and the clock that judges their expiry.
-- Times here are microseconds since the epoch (the D-Bus API's unit).

-- One row per request. `user` is the name typed at the prompt: it may name
-- no account, or one that may not recover; `account` says which, as found
-- when the request was filed, so an administrator sees it.
CREATE TABLE requests (
    -- six Crockford base32 characters, shown as K7Q-4MZ
    id         TEXT    PRIMARY KEY CHECK (length(id) = 6 AND id NOT GLOB '*[^0-9A-HJKMNP-TV-Z]*'),
    user       TEXT    NOT NULL CHECK (length(user) BETWEEN 1 AND 32),
    uid        INTEGER NOT NULL CHECK (uid >= -1),  -- the account when filed; -1: none
    account    TEXT    NOT NULL CHECK (length(account) > 0),
    filed_at   INTEGER NOT NULL,
    expires_at INTEGER NOT NULL CHECK (expires_at > filed_at),
    service    TEXT    NOT NULL,
    tty        TEXT    NOT NULL,
    rhost      TEXT    NOT NULL,
    ruser      TEXT    NOT NULL,
    contact    TEXT    NOT NULL CHECK (length(contact) BETWEEN 1 AND 512),
    reason     TEXT    NOT NULL CHECK (length(reason) BETWEEN 1 AND 512),
    state      TEXT    NOT NULL DEFAULT 'open'
                       CHECK (state IN ('open', 'approved', 'denied', 'completed', 'expired')),
    decided_by TEXT    NOT NULL DEFAULT '',  -- "uid:1001 (helpdesk)"
    decided_at INTEGER NOT NULL DEFAULT 0,
    note       TEXT    NOT NULL DEFAULT ''   -- the approval note or the denial reason
) STRICT;
CREATE INDEX requests_by_user ON requests (user, state);
CREATE INDEX requests_by_state ON requests (state, expires_at);

-- At most one live approval code per request, as a keyed BLAKE2b-256 hash
-- bound to the account (name and uid). Used or expired codes are deleted
-- (secure_delete overwrites them).
CREATE TABLE approval_codes (
    request_id TEXT    PRIMARY KEY REFERENCES requests (id) ON DELETE CASCADE,
    user       TEXT    NOT NULL CHECK (length(user) BETWEEN 1 AND 32),
    uid        INTEGER NOT NULL CHECK (uid >= 0),
    code_hash  BLOB    NOT NULL CHECK (length(code_hash) = 32),
    issued_at  INTEGER NOT NULL,
    expires_at INTEGER NOT NULL CHECK (expires_at > issued_at)
) STRICT;
CREATE INDEX approval_codes_by_account ON approval_codes (user, uid);

-- The time recoveryd judges expiry by: never earlier than any time it has
-- seen, and within one boot never slower than the boot-time clock, so moving
-- the wall clock back neither revives an expired code nor stretches a live
-- one. One row.
CREATE TABLE clock (
    id      INTEGER PRIMARY KEY CHECK (id = 1),
    latest  INTEGER NOT NULL,  -- the judged time, microseconds since the epoch
    boot_id TEXT    NOT NULL,  -- the boot it was judged in
    boot_at INTEGER NOT NULL   -- CLOCK_BOOTTIME then, microseconds
) STRICT;
INSERT INTO clock (id, latest, boot_id, boot_at) VALUES (1, 0, '', 0);
