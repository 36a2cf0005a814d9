-- 005: password history: the crypt(3) hashes of the passwords recoveryd
-- replaced, so a new password set here is none of the account's last N
-- (policy: [Password] RememberLast). The password in /etc/shadow counts as
-- the newest of the N; this table holds the ones before it.

-- Bound to the account like enrollments (002): a row counts only while both
-- the name and the uid match, so an account that reuses a name, or a name
-- that gets a reused uid, inherits nothing. Rows of a name under another uid
-- are dropped at its next rotation, and all of a name's rows by
-- `recoveryctl forget`. AUTOINCREMENT: ids follow the order the passwords
-- were replaced in, whatever the wall clock said.
CREATE TABLE password_history (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    user        TEXT    NOT NULL CHECK (length(user) BETWEEN 1 AND 32),
    uid         INTEGER NOT NULL CHECK (uid >= 0),
    hash        TEXT    NOT NULL CHECK (length(hash) BETWEEN 1 AND 512),
    replaced_at INTEGER NOT NULL  -- epoch seconds: when it stopped being the password
) STRICT;
CREATE INDEX password_history_by_account ON password_history (user, uid, id);
