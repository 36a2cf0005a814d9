# An application that changes PAM_USER during the conversation (here at the
# offer's prompt) does not get a login for the new name out of a recovery
# made for the old one: the module recovers the account it was asked for,
# with the name it copied at the start, and answers PAM_AUTH_ERR when
# PAM_USER no longer names that account at the end. (Found broken: the
# module kept libpam's pointer to the name, which the change frees, and
# answered PAM_SUCCESS with PAM_USER naming bob.)
source "$(dirname "$0")/lib.sh"

sandbox up
enroll_codes alice
printf '%s\n' wrong-password yes 1 "${CODES[0]}" switched-new-password switched-new-password > "$WORK/answers"
RESULT=$(in_sandbox "$build_dir/tests/tools/pam-driver" --service recovery-test --user alice \
    --switch-user bob --switch-at 1 --answers "$WORK/answers" --transcript "$WORK/switched.transcript" || true)
assert_contains "$WORK/switched.transcript" "switched PAM_USER to bob"
assert_eq PAM_AUTH_ERR "$RESULT" "the result when PAM_USER changed during the recovery"
password_works alice switched-new-password || fail "alice's recovery (the account the module was asked for) did not happen"
assert_eq 0 "$(audit "target_user = 'bob'")" "audit rows about bob"
echo PASS
