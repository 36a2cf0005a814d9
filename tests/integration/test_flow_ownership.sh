# A flow answers only the connection that started it.
source "$(dirname "$0")/lib.sh"

sandbox up
in_sandbox "$build_dir/tests/tools/flow-peer" hijack alice > "$WORK/hijack.txt" || { cat "$WORK/hijack.txt"; fail "another connection could use the flow"; }
assert_contains "$WORK/hijack.txt" "intruder: !io.recoveryd.Recovery1.Error."
assert_contains "$WORK/hijack.txt" "owner: state=0"
echo PASS
