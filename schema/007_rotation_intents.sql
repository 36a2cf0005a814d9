-- 007: a rewrite of a password hash in /etc/shadow, noted (and synced)
-- before the rewrite; the audit row of its success deletes the note in the
-- same transaction. A note found at start was cut off by a crash between the
-- rewrite and that row: the start audits what /etc/shadow then holds and
-- deletes it (daemon/resets/RotationIntents.h).

-- The audit row of the success, less its outcome and detail, and the
-- account. The new hash is kept only as a keyed BLAKE2b-256 digest: enough
-- to recognise it in /etc/shadow, useless to anyone without the key.
CREATE TABLE rotation_intents (
    id              INTEGER PRIMARY KEY,
    noted_at        INTEGER NOT NULL,
    action          TEXT    NOT NULL CHECK (action IN ('password.rotate', 'password.reset')),
    actor           TEXT    NOT NULL,
    target_user     TEXT    NOT NULL CHECK (length(target_user) BETWEEN 1 AND 32),
    uid             INTEGER NOT NULL CHECK (uid >= 0),
    new_hash_digest BLOB    NOT NULL CHECK (length(new_hash_digest) = 32),
    service         TEXT    NOT NULL DEFAULT '',
    tty             TEXT    NOT NULL DEFAULT '',
    rhost           TEXT    NOT NULL DEFAULT '',
    ruser           TEXT    NOT NULL DEFAULT '',
    app_uid         INTEGER NOT NULL DEFAULT -1,
    login_uid       INTEGER NOT NULL DEFAULT -1
) STRICT;
