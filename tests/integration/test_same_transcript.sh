# An unknown user, a user with no codes, a wrong code and an account policy
# excludes (root) see exactly the same conversation, and the verdict on the
# code comes no sooner than the daemon's fixed verdict time for any of them
# (DESIGN.md invariant 7; the equal medians are in bench/run).
source "$(dirname "$0")/lib.sh"

sandbox up
enroll_codes alice
run_pam recovery-test nosuchuser unknown wrong-password yes 1 7KQ2-M9XD-4RTA-0BHC
run_pam recovery-test bob nocodes wrong-password yes 1 7KQ2-M9XD-4RTA-0BHC
run_pam recovery-test alice wrongcode wrong-password yes 1 7KQ2-M9XD-4RTA-0BHC
cmp "$WORK/unknown.transcript" "$WORK/nocodes.transcript" || fail "unknown user and user without codes differ"
cmp "$WORK/unknown.transcript" "$WORK/wrongcode.transcript" || fail "unknown user and wrong code differ"
run_pam recovery-test root excluded wrong-password yes 1 7KQ2-M9XD-4RTA-0BHC
cmp "$WORK/unknown.transcript" "$WORK/excluded.transcript" || fail "unknown user and excluded root differ"
assert_contains "$WORK/unknown.transcript" "That recovery code is not valid."

# The verdict time (FlowRegistry::kVerdictTime, 250 ms) is a floor, so this
# lower bound cannot flake; 240 allows for the daemon reading the answer in
# the same loop iteration it woke up for something else.
in_sandbox "$build_dir/tests/tools/flow-peer" code-timing 3 nosuchuser bob alice root > "$WORK/timing"
while read -r user _ _ min; do
    min=${min#min_us=}
    ((${min%.*} >= 240000)) || fail "the verdict for $user came only $min µs after the answer"
done < "$WORK/timing"
assert_eq 4 "$(wc -l < "$WORK/timing")" "users timed"
echo PASS
