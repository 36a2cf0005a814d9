# Many open flows cannot cost recoveryd its bus connection (dbus-daemon drops
# a connection holding more than 512 match rules): 600 flows from one
# connection are all dropped and audited when it leaves; a 257th connection
# with flows is refused (the bus's per-user connection limit is raised here so
# that it can try). And a recoveryd that loses the bus exits, for systemd to
# restart it, rather than live on deaf.
source "$(dirname "$0")/lib.sh"

cat > "$WORK/limits.conf" <<'XML'
<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-BUS Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <limit name="max_connections_per_user">1024</limit>
</busconfig>
XML
sandbox up --bus-config "$WORK/limits.conf"
coproc HOLD { in_sandbox "$build_dir/tests/tools/flow-peer" hold 600; }
read -r first_flow <&"${HOLD[0]}" || true
[[ $first_flow == /io/recoveryd/* ]] || fail "could not open 600 flows: '$first_flow'"
in_sandbox pkill -f "flow-peer hold" || true  # the holder itself, not the coproc's shell
await_audit 600 "action = 'flow.abandon'" "flows dropped when their caller left"
path=$(in_sandbox "$build_dir/tests/tools/flow-peer" start alice) || fail "recoveryd stopped serving: $path"

assert_eq "started=256 refusal=io.recoveryd.Recovery1.Error.Unavailable" \
    "$(in_sandbox "$build_dir/tests/tools/flow-peer" owners 300)" "flows from 300 connections"
path=$(in_sandbox "$build_dir/tests/tools/flow-peer" start alice) || fail "recoveryd stopped serving: $path"

daemon_pid=$(cat "$SANDBOX/daemon.pid")
kill "$(cat "$SANDBOX/bus.pid")"
for _ in $(seq 50); do kill -0 "$daemon_pid" 2>/dev/null || break; sleep 0.1; done
! kill -0 "$daemon_pid" 2>/dev/null || fail "recoveryd lives on without its bus"
assert_contains "$SANDBOX/log/recoveryd.log" "lost the connection to the system bus"
echo PASS
