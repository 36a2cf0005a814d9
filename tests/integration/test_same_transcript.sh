# An unknown user and a user with no codes see exactly the same conversation
# (DESIGN.md invariant 7).
source "$(dirname "$0")/lib.sh"

sandbox up
enroll_codes alice
run_pam recovery-test nosuchuser unknown wrong-password yes 7KQ2-M9XD-4RTA-0BHC
run_pam recovery-test bob nocodes wrong-password yes 7KQ2-M9XD-4RTA-0BHC
run_pam recovery-test alice wrongcode wrong-password yes 7KQ2-M9XD-4RTA-0BHC
cmp "$WORK/unknown.transcript" "$WORK/nocodes.transcript" || fail "unknown user and user without codes differ"
cmp "$WORK/unknown.transcript" "$WORK/wrongcode.transcript" || fail "unknown user and wrong code differ"
assert_contains "$WORK/unknown.transcript" "That recovery code is not valid."
echo PASS
