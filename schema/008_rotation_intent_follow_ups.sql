-- 008: what a start needs to finish a password change that a crash cut off
-- after /etc/shadow held it (daemon/resets/RotationIntents.h): the owner's
-- notice names the administrator, and a recovery made with an approval code
-- completes its request.

-- The administrator's name for an administrator's reset, else ''.
ALTER TABLE rotation_intents ADD COLUMN admin TEXT NOT NULL DEFAULT '';
-- The request (canonical id) whose approval code proved the identity, else ''.
ALTER TABLE rotation_intents ADD COLUMN request_id TEXT NOT NULL DEFAULT '';
