# Rate limits on identity checks (issue 9; DESIGN.md invariant 6), with the
# shipped defaults: 5 failed checks for one name in 24 hours lock its
# recovery for 24 hours, whatever the method. 20 logins guessing at once get
# no more tries than one guessing in a row; a locked-out name's right code
# gets exactly an unknown user's transcript; the lockout survives a restart;
# `recoveryctl unlock` and a successful recovery clear the count.
source "$(dirname "$0")/lib.sh"

# try_code USER NAME TTY METHOD CODE: one identity check from terminal TTY
# (a distinct terminal each time, so only the per-name limit is reached).
try_code() {
    local user=$1 name=$2 tty=$3 method=$4 code=$5
    printf '%s\n' wrong-password yes "$method" "$code" > "$WORK/$name.answers"
    RESULT=$(in_sandbox "$build_dir/tests/tools/pam-driver" --service recovery-test --user "$user" --tty "$tty" \
        --answers "$WORK/$name.answers" --transcript "$WORK/$name.transcript" || true)
}
checks() {  # OUTCOME -> alice's code checks with that outcome
    audit "action IN ('code.verify', 'approval.verify') AND target_user = 'alice' AND outcome = '$1'"
}

sandbox up
enroll_codes alice
try_code nosuchuser unknown tty9 1 7KQ2-M9XD-4RTA-0BHC

# 20 logins at once from 20 terminals, each with one wrong code: 5 compared
# (recovery-patient: the race is inside the daemon, not against the module's deadline).
in_sandbox bash -c '
    for i in $(seq 20); do
        printf "%s\n" wrong-password yes 1 7KQ2-M9XD-4RTA-0BH$((i % 10)) |
            "$1" --service recovery-patient --user alice --tty "pts/$i" --answers - > /dev/null &
    done
    wait' racing "$build_dir/tests/tools/pam-driver"
assert_eq 5 "$(checks failed)" "codes compared for 20 racing logins"
assert_eq 15 "$(checks denied)" "checks refused unseen by the lockout"

# The right code now fails exactly like an unknown user's wrong code.
try_code alice locked tty10 1 "${CODES[0]}"
assert_eq PAM_AUTH_ERR "$RESULT" "result of the right code while locked out"
cmp "$WORK/unknown.transcript" "$WORK/locked.transcript" || fail "the lockout shows in the transcript"
assert_eq 10 "$(codes_left alice)" "codes used up while locked out"

# A restart keeps the lockout (the counts are in the store).
sandbox daemon-stop
sandbox daemon-start
try_code alice restarted tty11 1 "${CODES[0]}"
cmp "$WORK/unknown.transcript" "$WORK/restarted.transcript" || fail "a restart lifted the lockout"
assert_eq 17 "$(checks denied)" "checks refused after the restart"

# `recoveryctl unlock` clears it: the right code works again.
ctl root unlock alice > /dev/null || fail "recoveryctl unlock alice failed"
try_code alice unlocked tty12 1 "${CODES[0]}"
assert_contains "$WORK/unlocked.transcript" "New password"

# A successful recovery clears the count too: 4 failures (an approval code
# counts like a recovery code), a recovery, 4 more failures, and the right
# code still works (without the clearing it would be the ninth check).
for i in 1 2 3; do try_code alice "miss-$i" "tty2$i" 1 7KQ2-M9XD-4RTA-0BHC; done
try_code alice miss-approval tty24 2 7KQ2-M9XD-4RTA
run_pam recovery-test alice recovered wrong-password yes 1 "${CODES[1]}" violet-harbor-drum-2931 violet-harbor-drum-2931
assert_contains "$WORK/recovered.transcript" "Your password has been changed."
for i in 1 2 3 4; do try_code alice "again-$i" "tty3$i" 1 7KQ2-M9XD-4RTA-0BHC; done
run_pam recovery-test alice recovered-again wrong-password yes 1 "${CODES[2]}" copper-meadow-kite-4820 copper-meadow-kite-4820
assert_contains "$WORK/recovered-again.transcript" "Your password has been changed."
password_works alice copper-meadow-kite-4820 || fail "pam_unix rejects the new password"
echo PASS
