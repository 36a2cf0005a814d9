-- 009: what follows a password change survives a crash. The success row
-- no longer deletes the intent: it marks it recorded, and the intent goes
-- with the owner's notice, the last of the follow-ups
-- (daemon/resets/ResetFollowUp.h), in that notice's transaction. A start
-- that finds a recorded intent does the follow-ups again: each is harmless
-- to repeat but the notice, which the intent's removal keeps to one.

-- 1: the success row is written (0: the rewrite may or may not have happened).
ALTER TABLE rotation_intents ADD COLUMN recorded INTEGER NOT NULL DEFAULT 0 CHECK (recorded IN (0, 1));
-- The crypt(3) hash the change replaces, when the password history keeps
-- it (RememberLast above 1), else '': a start that finds the change made
-- without its audit row puts it in the history, which a crash may have
-- cut off too. As secret as the history's own rows; gone with the intent.
ALTER TABLE rotation_intents ADD COLUMN replaced_hash TEXT NOT NULL DEFAULT '';
