-- 004: failed identity checks and lockouts, for the rate limits (DESIGN.md
-- invariant 6). Times are the store's judged clock (see the clock table of
-- 003), in microseconds since the epoch, so a clock set back neither
-- extends nor revives a lockout.

-- One row per failed check and key it counts against: the typed user name
-- ('user'), the remote host or local terminal ('source'), and everything
-- ('total', key ''). Rows older than their scope's window are pruned.
CREATE TABLE failed_checks (
    scope TEXT    NOT NULL CHECK (scope IN ('user', 'source', 'total')),
    key   TEXT    NOT NULL CHECK (length(key) <= 300),
    at    INTEGER NOT NULL
) STRICT;
CREATE INDEX failed_checks_by_key ON failed_checks (scope, key, at);
CREATE INDEX failed_checks_by_time ON failed_checks (at);

-- A key that reached its limit. `level` counts lockouts in a row (each one
-- beginning within a window of the last one's end), for growing waits.
CREATE TABLE lockouts (
    scope TEXT    NOT NULL CHECK (scope IN ('user', 'source', 'total')),
    key   TEXT    NOT NULL,
    until INTEGER NOT NULL,
    level INTEGER NOT NULL CHECK (level >= 1),
    PRIMARY KEY (scope, key)
) STRICT, WITHOUT ROWID;
