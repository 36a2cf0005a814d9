# The whole story of issue 3: alice enrolls codes, forgets her password,
# recovers with a code at the login prompt; pam_unix then accepts the new
# password and rejects the old; the code never works again; all is audited.
source "$(dirname "$0")/lib.sh"

sandbox up
enroll_codes alice

run_pam recovery-test alice story wrong-password yes 1 "${CODES[3]}" brand-new-password-1 brand-new-password-1
assert_eq PAM_AUTH_ERR "$RESULT" "result after the password changed (AfterReset = sign-in-again)"
assert_same_as_golden "$WORK/story.transcript" recovery_story.txt

password_works alice brand-new-password-1 || fail "pam_unix rejects the new password"
# Never weaker than what pam_unix writes here (yescrypt on Debian 12, whose
# login.defs still says SHA512): invariant 14.
[[ $(in_sandbox getent shadow alice | cut -d: -f2) == '$y$'* ]] || fail "the new hash is not yescrypt"
! password_works alice alice-old-password || fail "pam_unix still accepts the old password"
password_works bob bob-old-password || fail "bob's password changed too"

run_pam recovery-test alice reuse wrong-password yes 1 "${CODES[3]}"
assert_contains "$WORK/reuse.transcript" "That recovery code is not valid."
password_works alice brand-new-password-1 || fail "a used code changed something"

assert_eq 2 "$(audit "action = 'flow.start' AND target_user = 'alice'")" "flow.start rows"
assert_eq 1 "$(audit "action = 'code.verify' AND outcome = 'ok' AND service = 'recovery-test'")" "accepted code rows"
assert_eq 1 "$(audit "action = 'code.verify' AND outcome = 'failed'")" "rejected code rows"
assert_eq 1 "$(audit "action = 'password.rotate' AND outcome = 'ok' AND target_user = 'alice'")" "rotation rows"
assert_eq 1 "$(audit "action = 'enroll.recovery-codes' AND outcome = 'ok' AND actor = 'uid:$(in_sandbox id -u alice)'")" "enrollment rows"
assert_eq 9 "$(codes_left alice)" "codes left"

# No secret in the audit log or the daemon's output.
in_sandbox sqlite3 /var/lib/recoveryd/recoveryd.db "SELECT * FROM audit" > "$WORK/audit.txt"
cat "$SANDBOX/log/recoveryd.log" >> "$WORK/audit.txt"
for secret in "${CODES[3]}" brand-new-password-1 alice-old-password; do
    assert_not_contains "$WORK/audit.txt" "$secret"
done
echo PASS
