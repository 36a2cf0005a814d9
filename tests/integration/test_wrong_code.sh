# A wrong code fails, changes nothing, and is audited.
source "$(dirname "$0")/lib.sh"

sandbox up
enroll_codes alice
run_pam recovery-test alice wrong wrong-password yes 1 0000-0000-0000-0000
assert_eq PAM_AUTH_ERR "$RESULT" "result of a wrong code"
assert_contains "$WORK/wrong.transcript" "That recovery code is not valid."
assert_not_contains "$WORK/wrong.transcript" "New password"
assert_eq 1 "$(audit "action = 'code.verify' AND outcome = 'failed' AND target_user = 'alice'")" "audited failures"
password_works alice alice-old-password || fail "the old password stopped working"
echo PASS
