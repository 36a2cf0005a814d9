# A flow does not end when the connection that started it closes (the PAM
# module connects for each call); it expires after the policy's idle timeout
# (measured on CLOCK_BOOTTIME), audited, and then exists no more.
source "$(dirname "$0")/lib.sh"

printf '[Recovery]\nFlowTimeoutSec = 30\n' > "$WORK/policy.conf"
sandbox up --policy "$WORK/policy.conf"

flow_path=$(in_sandbox "$build_dir/tests/tools/flow-peer" start alice)  # its connection closes at once
sleep 25
assert_eq 0 "$(audit "action = 'flow.expire'")" "flows expired before the timeout"
assert_eq "state=0" "$(in_sandbox "$build_dir/tests/tools/flow-peer" next "$flow_path" 0)" \
    "Next after the starting connection closed"
sleep 25
assert_eq 0 "$(audit "action = 'flow.expire'")" "flows expired although Next restarted the timeout"
await_audit 1 "action = 'flow.expire'" "flows expired after the timeout"
in_sandbox busctl --system introspect io.recoveryd.Recovery1 "$flow_path" > /dev/null 2>&1 &&
    fail "the expired flow is still on the bus"
echo PASS
