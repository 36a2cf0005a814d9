# The daemon's event loop never blocks (DESIGN.md, "Event loop"): while a
# password rotation waits for the password database lock that another
# program holds, Peer.Ping and Account.GetStatus are answered. And a daemon
# told to stop waits for that rotation to finish, and answers the login,
# before it exits.
source "$(dirname "$0")/lib.sh"

sandbox up
enroll_codes alice
hold_password_lock

run_pam recovery-test alice story wrong-password yes 1 "${CODES[0]}" while-locked-pw-1 while-locked-pw-1 &
recovery=$!
await_audit 1 "action = 'code.verify' AND outcome = 'ok'" "accepted codes"
sleep 1
assert_eq 0 "$(audit "action = 'password.rotate'")" "rotations finished while the lock is held"
# Bounded, far below the 15 s the rotation may wait for the lock.
in_sandbox busctl --system --timeout=5 call io.recoveryd.Recovery1 /io/recoveryd/Recovery1 org.freedesktop.DBus.Peer Ping ||
    fail "Peer.Ping was not answered during the rotation"
as_user alice timeout 5 /run/sandbox-tools/recoveryctl status > "$WORK/status" || fail "GetStatus was not answered"
assert_contains "$WORK/status" "9 left"

daemon_pid=$(cat "$SANDBOX/daemon.pid")
kill -TERM "$daemon_pid"
sleep 1
kill -0 "$daemon_pid" 2>/dev/null || fail "recoveryd exited in the middle of a rotation"
release_password_lock
for _ in $(seq 100); do kill -0 "$daemon_pid" 2>/dev/null || break; sleep 0.1; done
! kill -0 "$daemon_pid" 2>/dev/null || fail "recoveryd did not exit after the rotation"
wait "$recovery" || true
# Told, not cut off: the rotation's reply reached the login (its sender had
# left the bus by then, which the module must accept from the owner it
# checked before it called).
assert_contains "$WORK/story.transcript" "Your password has been changed. Sign in with your new password."
assert_eq 1 "$(audit "action = 'password.rotate' AND outcome = 'ok'")" "finished rotations"
password_works alice while-locked-pw-1 || fail "the rotation did not complete"
echo PASS
