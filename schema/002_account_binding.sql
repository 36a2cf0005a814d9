-- 002: methods bound to the account (uid) by an enrollment id, the
-- password-check throttle, coalesced denials, and audit rows that name the
-- invoking user (format 2 of the chain hash).

-- 001's rows name a user but no uid. Binding them to a guessed uid could hand
-- a deleted account's codes to a new account that reuses the name, so they
-- are dropped (no release shipped them): those users enroll again.
DROP TABLE recovery_codes;
DROP TABLE enrolled_methods;

-- One row per enrolled method of an account. A method is usable only while
-- both the name and the uid still match the account. AUTOINCREMENT: an
-- enrollment id is never reused, so an id held by a flow names one
-- enrollment for good.
CREATE TABLE enrollments (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    user        TEXT    NOT NULL CHECK (length(user) BETWEEN 1 AND 32),
    uid         INTEGER NOT NULL CHECK (uid >= 0),
    -- a method name, not a closed list: adding a method needs no table rebuild
    method      TEXT    NOT NULL CHECK (length(method) BETWEEN 1 AND 32 AND method NOT GLOB '*[^a-z0-9-]*'),
    enrolled_at INTEGER NOT NULL CHECK (enrolled_at >= 0),
    UNIQUE (user, method)
) STRICT;

-- The unused recovery codes of an enrollment, as keyed BLAKE2b-256 hashes
-- only. WITHOUT ROWID keeps one copy of each hash (no separate index), and a
-- used code's row is deleted (secure_delete overwrites it).
CREATE TABLE recovery_codes (
    enrollment_id INTEGER NOT NULL REFERENCES enrollments (id) ON DELETE CASCADE,
    code_hash     BLOB    NOT NULL CHECK (length(code_hash) = 32),
    PRIMARY KEY (enrollment_id, code_hash)
) STRICT, WITHOUT ROWID;

-- Current-password checks per uid: failures so far and when the last check
-- began (a check counts as failed until it is reported as a success).
CREATE TABLE password_checks (
    uid          INTEGER PRIMARY KEY CHECK (uid >= 0),
    failures     INTEGER NOT NULL CHECK (failures >= 1),
    last_failure INTEGER NOT NULL
) STRICT;

-- Denials of a uid are written to the audit log once per window; the rest
-- of the window is only counted.
CREATE TABLE denial_windows (
    uid          INTEGER PRIMARY KEY CHECK (uid >= 0),
    window_start INTEGER NOT NULL,
    coalesced    INTEGER NOT NULL CHECK (coalesced >= 0)
) STRICT;

-- Who invoked the PAM application: its remote user, real uid and audit login
-- uid (-1: unknown). Rows of format 1 were hashed without these fields and
-- keep the defaults; format 2 rows hash them too.
ALTER TABLE audit ADD COLUMN ruser TEXT NOT NULL DEFAULT '';
ALTER TABLE audit ADD COLUMN app_uid INTEGER NOT NULL DEFAULT -1 CHECK (app_uid >= -1);
ALTER TABLE audit ADD COLUMN login_uid INTEGER NOT NULL DEFAULT -1 CHECK (login_uid >= -1);
ALTER TABLE audit ADD COLUMN format INTEGER NOT NULL DEFAULT 1 CHECK (format IN (1, 2));

-- The audit log is only ever appended to. Someone who can write the file can
-- drop these; they keep a bug in recoveryd from rewriting history.
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
BEGIN
    SELECT RAISE(ABORT, 'audit rows are never changed');
END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
BEGIN
    SELECT RAISE(ABORT, 'audit rows are never deleted');
END;
