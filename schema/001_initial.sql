-- 001: enrolled methods, recovery codes and the audit log.
-- Each migration runs in one transaction; PRAGMA user_version counts them.

-- Which methods a user has enrolled, and when.
CREATE TABLE enrolled_methods (
    user        TEXT    NOT NULL CHECK (length(user) BETWEEN 1 AND 32),
    method      TEXT    NOT NULL CHECK (method IN ('recovery-codes')),
    enrolled_at INTEGER NOT NULL CHECK (enrolled_at >= 0),
    PRIMARY KEY (user, method)
) STRICT;

-- The unused recovery codes, as keyed BLAKE2b-256 hashes only. A used code's
-- row is deleted (secure_delete overwrites it).
CREATE TABLE recovery_codes (
    user      TEXT NOT NULL,
    method    TEXT NOT NULL DEFAULT 'recovery-codes' CHECK (method = 'recovery-codes'),
    code_hash BLOB NOT NULL CHECK (length(code_hash) = 32),
    PRIMARY KEY (user, code_hash),
    FOREIGN KEY (user, method) REFERENCES enrolled_methods (user, method) ON DELETE CASCADE
) STRICT;

-- Every decision. Each row carries the BLAKE2b-256 hash of the previous row
-- (zeros for the first) and its own, so edits and deletions show.
CREATE TABLE audit (
    id          INTEGER PRIMARY KEY,
    time        INTEGER NOT NULL,
    actor       TEXT    NOT NULL,
    target_user TEXT    NOT NULL,
    service     TEXT    NOT NULL,
    tty         TEXT    NOT NULL,
    rhost       TEXT    NOT NULL,
    action      TEXT    NOT NULL CHECK (length(action) > 0),
    outcome     TEXT    NOT NULL CHECK (length(outcome) > 0),
    detail      TEXT    NOT NULL,
    prev_hash   BLOB    NOT NULL CHECK (length(prev_hash) = 32),
    hash        BLOB    NOT NULL CHECK (length(hash) = 32)
) STRICT;
