# recoveryctl enroll codes at a real terminal: the current password is asked
# with echo off, so it never shows on the screen; while recoveryctl waits for
# it (and holds it) the process is not dumpable, so alice herself cannot read
# its /proc files; the codes show once, without the warning meant for files.
source "$(dirname "$0")/lib.sh"

sandbox up
terminal_open enroll "$sandbox_tool exec $SANDBOX --user alice -- /run/sandbox-tools/recoveryctl enroll codes"
terminal_wait enroll "Current password:"

pid=$(sandbox_pid recoveryctl)
assert_eq "$(in_sandbox id -u alice)" "$(awk '/^Uid:/ {print $2}' "/proc/$pid/status")" "uid of recoveryctl"
assert_eq 0 "$(stat -c %u "/proc/$pid/environ")" "owner of /proc/$pid/environ (root's while not dumpable)"
if as_user alice cat "/proc/$pid/environ" >"$WORK/environ" 2>&1; then
    fail "alice could read the environment of recoveryctl waiting for her password"
fi
# The control: alice reads the environment of an ordinary process of hers.
as_user alice bash -c 'sleep 30 & cat /proc/$!/environ >/dev/null; status=$?; kill $!; exit $status' ||
    fail "alice cannot read her own processes' /proc files at all: the check above proves nothing"

terminal_type enroll alice-old-password
terminal_wait enroll "[exited:"
assert_contains "$WORK/screen" "[exited: 0]"
assert_eq 10 "$(grep -cE '^ +[0-9]+\. [0-9A-Z]{4}(-[0-9A-Z]{4}){3}$' "$WORK/screen")" "codes on the screen"
assert_not_contains "$WORK/screen" "alice-old-password"
assert_not_contains "$WORK/screen" "not a terminal"
echo PASS
