# One deadline per bus call, connect and handshake included: with the bus
# itself stopped (SIGSTOP on dbus-daemon: connections are accepted by the
# kernel, nothing ever answers) the module gives up within its timeout plus
# a second, for its first call, MayOffer (timeout_ms: then it offers nothing
# and says nothing), and for Next (next_timeout_ms, then the Cancel's
# timeout_ms). Upper bounds only.
source "$(dirname "$0")/lib.sh"

stop_bus() { kill -STOP "$bus_pid"; }
resume_bus() { kill -CONT "$bus_pid"; }

sandbox up
bus_pid=$(cat "$SANDBOX/bus.pid")
module=$build_dir/pam_module/pam_recovery.so
printf 'auth required %s timeout_ms=500 next_timeout_ms=1000\n' "$module" | in_sandbox tee /etc/pam.d/module-short >/dev/null

stop_bus
timed_pam module-short alice short yes
short_ms=$ELAPSED_MS
timed_pam module-only alice default yes
resume_bus
assert_eq PAM_PERM_DENIED "$RESULT" "result with the bus stopped (PAM_IGNORE, the module alone)"
assert_not_contains "$WORK/default.transcript" "Can't access your account?"
((ELAPSED_MS < 1500 + 1000)) || fail "MayOffer with timeout_ms=1500 took ${ELAPSED_MS} ms with the bus stopped"
((short_ms < 500 + 1000)) || fail "MayOffer with timeout_ms=500 took ${short_ms} ms with the bus stopped"

# Next: a login waits at a prompt (answers come through a FIFO as the test
# writes them); the bus stops; the answer is sent.
sandbox daemon-stop
in_sandbox "$build_dir/tests/tools/fake-recoveryd" --mode endless > "$WORK/fake.out" 2>&1 &
for _ in $(seq 100); do grep -q '^ready' "$WORK/fake.out" && break; sleep 0.1; done
mkfifo "$WORK/answers.fifo"
in_sandbox "$build_dir/tests/tools/pam-driver" --service module-short --user alice \
    --answers "$WORK/answers.fifo" --transcript "$WORK/next.transcript" > "$WORK/next.result" &
driver=$!
exec 3>"$WORK/answers.fifo"
echo yes >&3
for _ in $(seq 100); do grep -q "Fake prompt" "$WORK/next.transcript" 2>/dev/null && break; sleep 0.1; done
assert_contains "$WORK/next.transcript" "prompt-echo-on: Fake prompt: "
stop_bus
start=$(date +%s%N)
echo an-answer >&3
wait "$driver" || true
elapsed_ms=$((($(date +%s%N) - start) / 1000000))
resume_bus
exec 3>&-
assert_eq PAM_AUTHINFO_UNAVAIL "$(cat "$WORK/next.result")" "result when the bus stops during Next"
((elapsed_ms < 1000 + 500 + 1000)) || fail "Next (1000 ms) and Cancel (500 ms) took ${elapsed_ms} ms with the bus stopped"
echo "MayOffer: ${ELAPSED_MS} ms (limit 1500), ${short_ms} ms (limit 500); Next+Cancel: ${elapsed_ms} ms (limits 1000+500)"
echo PASS
