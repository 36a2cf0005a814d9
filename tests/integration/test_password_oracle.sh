# EnrollRecoveryCodes re-checks the current password, so it must not be a
# fast password oracle or a way to stall the daemon: after a wrong password
# the next check waits (refused without looking, even for the right one),
# one check at a time per uid, denials are coalesced in the audit log, and
# 400 calls from alice at once leave a login's StartFlow within the
# module's time limit.
source "$(dirname "$0")/lib.sh"

enroll() { echo "$1" | as_user alice /run/sandbox-tools/recoveryctl enroll codes > "$WORK/enroll.out" 2>&1; }

sandbox up
! enroll wrong-password-1 || fail "a wrong password enrolled codes"
assert_contains "$WORK/enroll.out" "not correct"
! enroll alice-old-password || fail "the right password was checked right after a wrong one"
assert_contains "$WORK/enroll.out" "try again in"
sleep 2.2
enroll alice-old-password || fail "the right password is refused after the wait: $(cat "$WORK/enroll.out")"

# 400 calls at once, all wrong, from one process (400 processes, sanitized
# ones above all, would starve the login below of the CPU it needs, daemon or not).
as_user alice /run/sandbox-tools/flow-peer enroll-storm 400 > "$WORK/storm.out" &
storm=$!
sleep 0.5
# The module gives StartFlow 1.5 s: reaching the menu means it was answered in time.
run_pam module-only bob during yes
assert_contains "$WORK/during.transcript" "Choose 1-3:"
assert_not_contains "$WORK/during.transcript" "not available"
wait "$storm"
assert_contains "$WORK/storm.out" "replies=400"
# Refused without a check (a wait, or one check at a time), not answered one by one.
assert_contains "$WORK/storm.out" "io.recoveryd.Recovery1.Error.Unavailable="
assert_eq 1 "$(audit "action = 'enroll.recovery-codes' AND outcome = 'denied'")" \
    "audit rows for every denial of the last hour"
echo PASS
