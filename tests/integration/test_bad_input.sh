# Malformed bus arguments get InvalidArgument with a message, and change nothing.
# (Strings that are not UTF-8 cannot cross the bus at all: sd-bus and
# dbus-daemon refuse them before recoveryd sees them.)
source "$(dirname "$0")/lib.sh"

peer() { in_sandbox "$build_dir/tests/tools/flow-peer" "$@" || true; }
invalid=io.recoveryd.Recovery1.Error.InvalidArgument

sandbox up
enroll_codes alice
before=$(audit "1")
for user in Alice "al:ice" "$(printf 'al\nice')" "$(head -c 40 /dev/zero | tr '\0' a)" ""; do
    assert_eq "$invalid" "$(peer start "$user")" "StartFlow with user name '$user'"
done
assert_eq "$invalid" "$(peer start alice colour=blue)" "StartFlow with an unknown context key"
assert_eq "$invalid" "$(peer start alice "tty=$(head -c 300 /dev/zero | tr '\0' x)")" "StartFlow with an over-long tty"
assert_eq "$before" "$(audit "1")" "audit rows after refused calls"

assert_eq "$invalid" "$(peer answers alice 2)" "Next with two answers to one prompt"
assert_eq "$invalid" "$(peer answers alice 0)" "Next with no answer to a prompt"
assert_eq 0 "$(audit "action = 'code.verify'")" "codes checked after malformed answers"
assert_eq 10 "$(codes_left alice)" "codes left"
echo PASS
