-- 010: where each request for help was filed from, so filing can be capped
-- per source as well as per name (docs/decisions/admin-path.md): one open
-- request per name from one source, a few open requests in all from one
-- source. The same form as the rate limits' source ("rhost:HOST", "uid:N",
-- "tty:TTY", "service:NAME"); '' for requests filed before this migration,
-- which count as no source's.
ALTER TABLE requests ADD COLUMN source TEXT NOT NULL DEFAULT '' CHECK (length(source) <= 300);
CREATE INDEX requests_by_source ON requests (source, state);
