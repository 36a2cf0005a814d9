# The recovery policy decides, for real, through the whole stack: who may
# recover (AllowGroups), what happens after a reset (AfterReset), and whether
# recovery is offered at all (Enabled). Each drop-in is read at daemon start.
source "$(dirname "$0")/lib.sh"

drop_in() {  # NAME CONTENT: writes a drop-in and restarts the daemon on it
    in_sandbox install -d -m 0755 /etc/recoveryd/recoveryd.conf.d
    printf '%s\n' "$2" | in_sandbox tee "/etc/recoveryd/recoveryd.conf.d/$1.conf" >/dev/null
    sandbox daemon-stop
    sandbox daemon-start
}

sandbox up
enroll_codes alice

# AllowGroups: alice is not in the group, so her valid code is refused exactly
# as an unknown user's, and is not used up.
in_sandbox groupadd recoverers
drop_in 10-groups $'[Recovery]\nAllowGroups = recoverers'
run_pam recovery-test alice excluded wrong-password yes 1 "${CODES[0]}"
run_pam recovery-test nosuchuser unknown wrong-password yes 1 "${CODES[0]}"
assert_eq PAM_AUTH_ERR "$RESULT" "result for an unknown user"
cmp "$WORK/excluded.transcript" "$WORK/unknown.transcript" || fail "an excluded user's transcript differs from an unknown user's"
assert_eq 10 "$(codes_left alice)" "codes left after a refused attempt"
assert_eq 1 "$(audit "action = 'code.verify' AND target_user = 'alice' AND detail = 'account not recoverable by policy'")" \
    "audit rows for the policy refusal"
password_works alice alice-old-password || fail "a refused recovery changed the password"

# In the group, the same code works; AfterReset = continue lets the login go on.
in_sandbox usermod -a -G recoverers alice
drop_in 20-continue $'[Recovery]\nAfterReset = continue'
run_pam recovery-test alice continue wrong-password yes 1 "${CODES[0]}" continued-password-1 continued-password-1
assert_eq PAM_SUCCESS "$RESULT" "result after a reset with AfterReset = continue"
assert_contains "$WORK/continue.transcript" "info: Your password has been changed."
assert_not_contains "$WORK/continue.transcript" "Sign in with your new password"
password_works alice continued-password-1 || fail "pam_unix rejects the new password"

# Enabled = no: the module offers nothing and says nothing (PAM_IGNORE, which
# libpam turns into PAM_PERM_DENIED with the module alone); no flow starts.
flows_before=$(audit "action = 'flow.start' AND outcome = 'ok'")
drop_in 30-off $'[Recovery]\nEnabled = no'
run_pam module-only alice off yes
assert_eq PAM_PERM_DENIED "$RESULT" "result with recovery turned off"
[[ ! -s $WORK/off.transcript ]] || { cat "$WORK/off.transcript"; fail "the module said something with recovery turned off"; }
assert_eq "$flows_before" "$(audit "action = 'flow.start' AND outcome = 'ok'")" "flows started with recovery turned off"
echo PASS
