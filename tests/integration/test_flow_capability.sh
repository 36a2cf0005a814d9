# A flow's path is its capability (DESIGN.md invariant 2): any root
# connection that knows it may drive the flow, also after the connection
# that started it has closed (the PAM module connects for each call); to
# anyone else no flow exists, not even with its path, and nobody can list it.
source "$(dirname "$0")/lib.sh"

peer() { in_sandbox "$build_dir/tests/tools/flow-peer" "$@"; }

# The permissive bus policy lets alice's calls reach recoveryd: its own check decides.
sandbox up --bus-policy permissive
assert_eq "state=0" "$(peer relay alice)" "Next on a flow started by another, closed connection"

coproc HOLD { in_sandbox "$build_dir/tests/tools/flow-peer" hold 1; }
read -r flow_path <&"${HOLD[0]}"
[[ $flow_path == /io/recoveryd/Recovery1/flow/* ]] || fail "no flow: $flow_path"

assert_eq org.freedesktop.DBus.Error.UnknownObject \
    "$(as_user alice /run/sandbox-tools/flow-peer next "$flow_path" 0 || true)" "Next by alice with the flow's path"
as_user alice busctl --system tree io.recoveryd.Recovery1 > "$WORK/tree.alice" 2>&1 || true
assert_not_contains "$WORK/tree.alice" "$flow_path"
assert_not_contains "$WORK/tree.alice" "/flow/"
! as_user alice busctl --system introspect io.recoveryd.Recovery1 "$flow_path" > "$WORK/introspect.alice" 2>&1 ||
    fail "alice could introspect the flow: $(cat "$WORK/introspect.alice")"
# Root sees the flow through its path; nobody gets a list.
in_sandbox busctl --system introspect io.recoveryd.Recovery1 "$flow_path" > "$WORK/introspect.root" ||
    fail "root cannot introspect the flow"
assert_contains "$WORK/introspect.root" "io.recoveryd.Recovery1.Flow"
in_sandbox busctl --system tree io.recoveryd.Recovery1 > "$WORK/tree.root" 2>&1 || true
assert_not_contains "$WORK/tree.root" "$flow_path"
assert_eq "state=0" "$(peer next "$flow_path" 0)" "Next by root on another connection"
[[ -z ${HOLD_PID:-} ]] || kill "$HOLD_PID" 2>/dev/null || true
echo PASS
