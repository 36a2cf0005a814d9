# Locked, disabled and expired accounts are never recovered (DESIGN.md
# invariant 12): `usermod -L`, `passwd -l`, `usermod -e 1` and a '*' hash get
# exactly an unknown user's transcript, keep their codes and their password;
# and a lock that lands between the code and the new password wins.
source "$(dirname "$0")/lib.sh"

shadow_of() { in_sandbox getent shadow "$1" | cut -d: -f2; }

sandbox up
enroll_codes alice
run_pam recovery-test nosuchuser unknown wrong-password yes 1 "${CODES[0]}"

try_locked() {  # NAME LOCK-COMMAND UNLOCK-COMMAND
    local name=$1 hash
    in_sandbox sh -c "$2"
    hash=$(shadow_of alice)
    run_pam recovery-test alice "$name" wrong-password yes 1 "${CODES[0]}" locked-new-password locked-new-password
    cmp "$WORK/unknown.transcript" "$WORK/$name.transcript" || fail "$name: the transcript differs from an unknown user's"
    assert_eq "$hash" "$(shadow_of alice)" "$name: alice's shadow hash"
    in_sandbox sh -c "$3"
    assert_eq 10 "$(codes_left alice)" "$name: codes left"
    password_works alice alice-old-password || fail "$name: the old password no longer works after unlocking"
}
try_locked usermod_L "usermod -L alice" "usermod -U alice"
try_locked passwd_l "passwd -l alice" "passwd -u alice"
try_locked expired "usermod -e 1 alice" "usermod -e '' alice"
old_hash=$(shadow_of alice)
try_locked star "usermod -p '*' alice" "usermod -p '$old_hash' alice"
assert_eq 4 "$(audit "action = 'code.verify' AND target_user = 'alice' AND outcome = 'failed' AND detail != ''")" \
    "refusals audited with their reason"

# The code is accepted, then an administrator locks the account before the
# new password arrives: checked again under the lock, the lock wins.
printf '%s\n' wrong-password yes 1 "${CODES[1]}" > "$WORK/race.answers"
mkfifo "$WORK/go"
coproc RACE {
    { cat "$WORK/race.answers"; read -r _ < "$WORK/go"; printf '%s\n' raced-new-password raced-new-password; } |
        in_sandbox "$build_dir/tests/tools/pam-driver" --service recovery-test --user alice --answers - \
            --transcript "$WORK/race.transcript"
}
await_audit 1 "action = 'code.verify' AND outcome = 'ok'" "accepted codes"
in_sandbox usermod -L alice
locked_hash=$(shadow_of alice)
echo go > "$WORK/go"
wait "$RACE_PID" || true
assert_contains "$WORK/race.transcript" "Your password could not be changed."
assert_eq "$locked_hash" "$(shadow_of alice)" "alice's hash after the refused rotation"
[[ $locked_hash == '!'* ]] || fail "alice is no longer locked"
assert_eq 1 "$(audit "action = 'password.rotate' AND outcome = 'denied'")" "refused rotations"
echo PASS
