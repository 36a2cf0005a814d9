# recoveryd under D-Bus activation (the build's activation file, a bus
# without systemd): the first call starts it; with nothing going on it exits
# 0 after [Daemon] IdleExitSec, its audit log intact; the next call starts
# it again. An open flow keeps it running past the idle period, and once the
# flow ends it exits.
source "$(dirname "$0")/lib.sh"

idle_sec=2
printf '[Daemon]\nIdleExitSec = %s\n' "$idle_sec" > "$WORK/policy.conf"
sandbox up --activation --policy "$WORK/policy.conf"
exits=$SANDBOX/log/recoveryd.exits

daemon_pids() {  # recoveryd processes in this test's sandbox, if any
    local namespace pid
    namespace=$(in_sandbox readlink /proc/self/ns/mnt)
    for pid in $(pgrep -x recoveryd); do
        [[ $(readlink "/proc/$pid/ns/mnt" 2>/dev/null) == "$namespace" ]] && echo "$pid"
    done
    return 0
}

running_daemon() {  # the one recoveryd that a call just started
    local pids
    pids=$(daemon_pids)
    [[ -n $pids && $pids != *$'\n'* ]] || fail "expected one recoveryd, found: '${pids//$'\n'/ }'"
    echo "$pids"
}

ping_daemon() {
    in_sandbox busctl --system call io.recoveryd.Recovery1 /io/recoveryd/Recovery1 org.freedesktop.DBus.Peer Ping ||
        fail "Peer.Ping did not reach recoveryd (log: $(cat "$SANDBOX/log/recoveryd.log" 2>/dev/null))"
}

# await_idle_exit PID N: PID is gone (within a generous bound) and the Nth
# exit status the wrapper recorded is 0.
await_idle_exit() {
    local pid=$1 n=$2
    for _ in $(seq 600); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    ! kill -0 "$pid" 2>/dev/null || fail "recoveryd $pid still runs 60 s after going idle"
    for _ in $(seq 50); do
        (($(wc -l < "$exits" 2>/dev/null || echo 0) >= n)) && break
        sleep 0.1
    done
    assert_eq "exit 0" "$(sed -n "${n}p" "$exits" 2>/dev/null)" "exit status of recoveryd run $n"
    in_sandbox busctl --system status io.recoveryd.Recovery1 >/dev/null 2>&1 &&
        fail "io.recoveryd.Recovery1 still has an owner after recoveryd $pid exited"
    return 0
}

[[ -z $(daemon_pids) ]] || fail "recoveryd runs before any call"

# The first call activates it; idle, it exits 0.
ping_daemon
first=$(running_daemon)
assert_contains "$SANDBOX/log/recoveryd.log" "recoveryd: serving io.recoveryd.Recovery1"
await_idle_exit "$first" 1
assert_contains "$SANDBOX/log/recoveryd.log" "recoveryd: idle; releasing the bus name and exiting"

# The next call starts a new one; the audit log it left is intact.
in_sandbox /run/sandbox-tools/recoveryctl audit --verify > "$WORK/verify.out" 2>&1 ||
    fail "audit --verify after an idle exit: $(cat "$WORK/verify.out")"
second=$(running_daemon)
[[ $second != "$first" ]] || fail "the call after the idle exit reached the old recoveryd $first"
await_idle_exit "$second" 2

# An open flow (a login waiting at a recovery prompt) keeps it running.
flow=$(in_sandbox "$build_dir/tests/tools/flow-peer" start alice)
[[ $flow == /io/recoveryd/Recovery1/flow/* ]] || fail "StartFlow: $flow"
third=$(running_daemon)
sleep $((4 * idle_sec))
kill -0 "$third" 2>/dev/null || fail "recoveryd exited while a flow was open"
assert_eq "state=0" "$(in_sandbox "$build_dir/tests/tools/flow-peer" next "$flow" 0)" "Next on the open flow"
sleep $((4 * idle_sec))
kill -0 "$third" 2>/dev/null || fail "recoveryd exited while a flow was open (after Next)"
in_sandbox busctl --system call io.recoveryd.Recovery1 "$flow" io.recoveryd.Recovery1.Flow Cancel ||
    fail "Cancel of the open flow"
await_idle_exit "$third" 3
assert_eq 1 "$(audit "action = 'flow.cancel'")" "flow.cancel rows once the flow ended"
echo PASS
