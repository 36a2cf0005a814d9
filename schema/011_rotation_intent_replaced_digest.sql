-- 011: a keyed BLAKE2b-256 digest of the hash a rotation replaces, kept
-- always (replaced_hash, from 009, only when the password history keeps
-- it). A start that finds an intent not recorded tells three cases apart
-- by what /etc/shadow then holds: the new hash (made), the replaced one
-- (not made), or neither (changed since by something else; whether
-- recoveryd's change came first is unknown). Empty for intents noted
-- before this migration, which tell only the first case from the others.
ALTER TABLE rotation_intents ADD COLUMN replaced_hash_digest BLOB NOT NULL DEFAULT x''
    CHECK (length(replaced_hash_digest) IN (0, 32));
