# The caps of [Limits] keep anyone from holding every flow: in total, per
# terminal, per remote host (each beyond its cap: Unavailable, which the
# module shows as "not available right now"). Refused starts are not
# audited as flows. And a recoveryd that loses the bus exits, for systemd to
# restart it, rather than live on deaf.
source "$(dirname "$0")/lib.sh"

many() { in_sandbox "$build_dir/tests/tools/flow-peer" start-many "$@"; }
unavailable=io.recoveryd.Recovery1.Error.Unavailable

printf '[Limits]\nMaxOpenFlows = 600\nMaxFlowsPerTty = 3\nMaxFlowsPerRemoteHost = 5\n' > "$WORK/policy.conf"
sandbox up --policy "$WORK/policy.conf"
assert_eq "started=3 refusal=$unavailable" "$(many 10 tty=tty7)" "flows from one terminal"
assert_eq "started=5 refusal=$unavailable" "$(many 10 tty=ssh rhost=192.0.2.7)" "flows from one remote host"
assert_eq "started=5 refusal=none" "$(many 5 tty=ssh rhost=192.0.2.8)" "flows from another remote host"
assert_eq "started=587 refusal=$unavailable" "$(many 1000)" "flows in total"
assert_eq 600 "$(audit "action = 'flow.start'")" "audited flow starts"

daemon_pid=$(cat "$SANDBOX/daemon.pid")
kill "$(cat "$SANDBOX/bus.pid")"
for _ in $(seq 50); do kill -0 "$daemon_pid" 2>/dev/null || break; sleep 0.1; done
! kill -0 "$daemon_pid" 2>/dev/null || fail "recoveryd lives on without its bus"
assert_contains "$SANDBOX/log/recoveryd.log" "lost the connection to the system bus"
echo PASS
