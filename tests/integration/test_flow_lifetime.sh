# Flows end when their caller leaves the bus, and expire after the policy's
# idle timeout (measured on CLOCK_BOOTTIME); both are audited.
source "$(dirname "$0")/lib.sh"

printf '[Recovery]\nFlowTimeoutSec = 30\n' > "$WORK/policy.conf"
sandbox up --policy "$WORK/policy.conf"

in_sandbox "$build_dir/tests/tools/flow-peer" start alice > /dev/null  # exits at once
await_audit 1 "action = 'flow.abandon'" "flows dropped when their caller left"

coproc HOLD { in_sandbox "$build_dir/tests/tools/flow-peer" hold 1; }
read -r flow_path <&"${HOLD[0]}"
sleep 25
assert_eq 0 "$(audit "action = 'flow.expire'")" "flows expired before the timeout"
sleep 7
assert_eq 1 "$(audit "action = 'flow.expire'")" "flows expired after the timeout"
in_sandbox busctl --system introspect io.recoveryd.Recovery1 "$flow_path" > /dev/null 2>&1 &&
    fail "the expired flow is still on the bus"
[[ -z ${HOLD_PID:-} ]] || kill "$HOLD_PID" 2>/dev/null || true
echo PASS
