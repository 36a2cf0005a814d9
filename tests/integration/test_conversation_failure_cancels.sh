# When the application's conversation fails mid-flow (an error, no answer,
# or an answer longer than the protocol allows), the module cancels the flow.
source "$(dirname "$0")/lib.sh"

sandbox up
enroll_codes alice
run_pam module-only alice noanswer yes  # the answers run out at the menu
assert_eq PAM_AUTH_ERR "$RESULT" "result when the conversation fails"
assert_eq 1 "$(audit "action = 'flow.cancel'")" "cancelled flows"

run_pam module-only alice oversized yes "$(head -c 600 /dev/zero | tr '\0' A)"
assert_eq PAM_AUTH_ERR "$RESULT" "result with an oversized answer"
assert_eq 2 "$(audit "action = 'flow.cancel'")" "cancelled flows"
assert_eq 0 "$(audit "action = 'code.verify'")" "codes checked"
echo PASS
