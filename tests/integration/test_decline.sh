# Declining the offer (anything but yes) leaves the stack as if the module
# were absent: PAM_IGNORE, and no flow is started.
source "$(dirname "$0")/lib.sh"

sandbox up
enroll_codes alice
for answer in no "" "yess" "y"; do
    run_pam module-only alice decline "$answer"
    assert_eq PAM_PERM_DENIED "$RESULT" "libpam's result when the only module ignores (answer '$answer')"
    run_pam recovery-test alice decline wrong-password "$answer"
    assert_eq PAM_AUTH_ERR "$RESULT" "stack result after declining (answer '$answer')"
    assert_not_contains "$WORK/decline.transcript" "Choose 1-3"
done
run_pam module-only alice accept " YES "
assert_contains "$WORK/accept.transcript" "Choose 1-3: "
assert_eq 1 "$(audit "action = 'flow.start'")" "flows started (only the accepted offer)"
echo PASS
