-- 006: notices for the owner of an account whose password was reset,
-- shown once at their next login (Manager.TakeNotices) and then deleted.

-- One row per reset. A notice belongs to the account, name and uid both: a
-- new account that reuses the name (or the uid) never sees it. Times are
-- seconds since the epoch. The text is made when the notice is shown.
CREATE TABLE owner_notices (
    id       INTEGER PRIMARY KEY,
    user     TEXT    NOT NULL CHECK (length(user) BETWEEN 1 AND 32),
    uid      INTEGER NOT NULL CHECK (uid >= 0),
    reset_at INTEGER NOT NULL,
    way      TEXT    NOT NULL CHECK (way IN ('recovery', 'administrator')),
    admin    TEXT    NOT NULL DEFAULT '',  -- the administrator's name, for way = 'administrator'
    service  TEXT    NOT NULL DEFAULT '',  -- where a recovery was made: PAM service, tty, remote host
    tty      TEXT    NOT NULL DEFAULT '',
    rhost    TEXT    NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX owner_notices_by_uid ON owner_notices (uid, id);
CREATE INDEX owner_notices_by_user ON owner_notices (user);
