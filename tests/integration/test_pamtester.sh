# The recovery through pamtester, a stock PAM application with libpam's own
# text conversation (misc_conv), answering from a pipe: the module must work
# with conversations it did not write.
source "$(dirname "$0")/lib.sh"

sandbox up
enroll_codes alice
printf '%s\n' wrong-password yes 1 "${CODES[5]}" pamtester-password pamtester-password |
    in_sandbox "${STOCK_APP[@]}" pamtester recovery-test alice authenticate > "$WORK/out" 2>&1 &&
    fail "pamtester signed in right after the reset (AfterReset = sign-in-again)"
assert_contains "$WORK/out" "Code accepted."
assert_contains "$WORK/out" "Your password has been changed. Sign in with your new password."

echo pamtester-password | in_sandbox "${STOCK_APP[@]}" pamtester plain-test alice authenticate > "$WORK/new" 2>&1 ||
    fail "pamtester: the new password is refused: $(cat "$WORK/new")"
! echo alice-old-password | in_sandbox "${STOCK_APP[@]}" pamtester plain-test alice authenticate > "$WORK/old" 2>&1 ||
    fail "pamtester: the old password still works"
echo PASS
