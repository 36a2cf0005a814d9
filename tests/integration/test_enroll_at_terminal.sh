# recoveryctl enroll codes at a real terminal: the current password is asked
# with echo off, so it never shows on the screen; the codes do, once.
source "$(dirname "$0")/lib.sh"

sandbox up
terminal_open enroll "$sandbox_tool exec $SANDBOX --user alice -- /run/sandbox-tools/recoveryctl enroll codes"
terminal_wait enroll "Current password:"
terminal_type enroll alice-old-password
terminal_wait enroll "[exited:"
assert_contains "$WORK/screen" "[exited: 0]"
assert_eq 10 "$(grep -cE '^ +[0-9]+\. [0-9A-Z]{4}(-[0-9A-Z]{4}){3}$' "$WORK/screen")" "codes on the screen"
assert_not_contains "$WORK/screen" "alice-old-password"
echo PASS
